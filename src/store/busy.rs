//! Writes that must not wait. A connection normally waits up to five seconds for another one's
//! write lock; the reader's marks instead try the lock once and, when a refresh (or a `tidings
//! fetch`) holds it, hear so at once, so that the reader can hand the write to a connection that
//! may wait and go on answering the interface.

use std::path::Path;
use std::time::Duration;

use super::{BUSY_TIMEOUT, Result, Store, StoreError};

impl Store {
    /// Runs `f` with this connection not waiting for another connection's write lock: a write
    /// that meets it fails at once with an error for which [`StoreError::is_busy`] holds. The
    /// usual wait is back when `f` returns.
    pub fn without_waiting<T>(&self, f: impl FnOnce(&Store) -> Result<T>) -> Result<T> {
        self.conn.busy_timeout(Duration::ZERO)?;
        let out = f(self);
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        out
    }

    /// The cache file, or `None` for a cache in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }
}

impl StoreError {
    /// Whether this is SQLite saying that another connection holds the lock it needed.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;
    use crate::store::testutil::{item, temp_store, update};

    #[test]
    fn a_write_without_waiting_fails_at_once_as_busy_and_waits_again_afterwards() {
        let (dir, mut s) = temp_store();
        let f = s.add_feed("https://a.test/", None, &[]).unwrap();
        s.store_feed_update(f, &update(1000, vec![item("1", "x", Some(1))]))
            .unwrap();
        let id = s
            .headlines(&crate::model::ItemQuery::new(crate::model::View::All), 0, 1)
            .unwrap()[0]
            .id;
        let path = dir.path().join("cache.db");
        assert_eq!(s.path(), Some(path.as_path()));
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let e = s
            .without_waiting(|s| s.set_read(id, true))
            .expect_err("the lock is held");
        assert!(e.is_busy(), "{e}");
        other.execute_batch("COMMIT").unwrap();
        s.without_waiting(|s| s.set_read(id, true)).unwrap();
        assert!(s.item(id).unwrap().read);
        assert!(Store::open_in_memory().unwrap().path().is_none());
    }
}
