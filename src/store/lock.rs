//! The lock file beside the cache (`cache.db.lock`): every process that opens the cache holds a
//! shared lock on it for as long as it has the cache open, and `tidings repair` takes it
//! exclusively, so a repair never runs under the reader or a fetch, and nobody opens the cache
//! while a repair replaces it. The locks are `flock(2)` locks: the system drops them when the
//! process ends, however it ends, so a crash never leaves the cache locked.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};

use super::{Result, StoreError};

/// A held lock on the cache; dropping it releases the lock.
#[derive(Debug)]
pub(crate) struct CacheLock {
    _file: File,
}

/// The lock file of the cache at `cache`.
pub fn lock_path(cache: &Path) -> PathBuf {
    sibling(cache, ".lock")
}

/// `cache` with `suffix` appended to its file name.
pub(crate) fn sibling(cache: &Path, suffix: &str) -> PathBuf {
    let mut name = cache.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    cache.with_file_name(name)
}

/// Takes the shared lock of a process that uses the cache, creating the lock file. Fails with
/// [`StoreError::InRepair`] while a repair holds it, and with the I/O error (to be read as
/// "cannot write here") when the lock file cannot be created.
pub(crate) fn shared(cache: &Path) -> Result<std::result::Result<CacheLock, io::Error>> {
    let file = match OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(lock_path(cache))
    {
        Ok(f) => f,
        Err(e) => return Ok(Err(e)),
    };
    take(cache, file, libc::LOCK_SH).map(Ok)
}

/// Takes the shared lock for a read-only use of the cache, when the lock file exists and can be
/// opened; `None` when it cannot (a read-only folder that never held one: no repair can run
/// there either).
pub(crate) fn shared_read_only(cache: &Path) -> Result<Option<CacheLock>> {
    match File::open(lock_path(cache)) {
        Ok(file) => take(cache, file, libc::LOCK_SH).map(Some),
        Err(_) => Ok(None),
    }
}

/// Takes the cache exclusively, for a repair: fails with [`StoreError::InUse`] while any other
/// process has it open.
pub(crate) fn exclusive(cache: &Path) -> Result<CacheLock> {
    let path = lock_path(cache);
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|source| StoreError::Lock { path, source })?;
    take(cache, file, libc::LOCK_EX).map_err(|e| match e {
        StoreError::InRepair { path } => StoreError::InUse { path },
        other => other,
    })
}

/// Locks `file` without waiting.
fn take(cache: &Path, file: File, how: libc::c_int) -> Result<CacheLock> {
    // SAFETY: `flock` only reads the descriptor, which `file` keeps open for the call.
    let rc = unsafe { libc::flock(file.as_raw_fd(), how | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(CacheLock { _file: file });
    }
    let err = io::Error::last_os_error();
    if err.kind() == io::ErrorKind::WouldBlock {
        Err(StoreError::InRepair {
            path: cache.to_path_buf(),
        })
    } else {
        Err(StoreError::Lock {
            path: lock_path(cache),
            source: err,
        })
    }
}
