//! The SQLite cache: feeds, items with their raw bodies, read and starred state, a full-text
//! index, and retention. It knows nothing of the terminal and starts no threads.
//!
//! One [`Store`] wraps one connection. Several may be open on the same file at once (the reader
//! and a cron `tidings fetch`): the file is in WAL mode, every write is one short transaction
//! that takes the write lock up front (`BEGIN IMMEDIATE`), and a writer waits up to five seconds
//! for another before giving up with [`StoreError::Sqlite`]. See `schema.rs` for the layout.

mod body;
mod dedup_stats;
mod digests;
mod error;
mod feeds;
mod headlines;
mod items;
mod retention;
mod schema;
mod search;
mod stories;
pub mod text;
mod update;
mod url_keys;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod testutil;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use dedup_stats::{STATS_WINDOW, StoredFeedStats};
pub use digests::{ItemDigests, PendingItem};
pub use error::{Result, StoreError};
pub use retention::RetentionPolicy;
pub use schema::SCHEMA_VERSION;
pub use search::fts_query;
pub use update::{BatchEntry, FeedUpdate, UpdateStats};

/// How long a connection waits for another one's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Page size of new cache files.
const PAGE_SIZE: i64 = 8192;
/// WAL size (in pages) past which a commit copies the WAL back into the file.
const WAL_AUTOCHECKPOINT_PAGES: i64 = 8192;

/// A connection to the cache file, with the schema up to date.
pub struct Store {
    conn: Connection,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.conn.path())
            .finish()
    }
}

impl Store {
    /// Opens (creating if needed) the cache at `path` and brings its schema up to date.
    ///
    /// The parent directory must exist. A file that is not a SQLite database, or is damaged,
    /// gives [`StoreError::NotADatabase`] naming the path.
    pub fn open(path: &Path) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let wrap = |source: rusqlite::Error| {
            if error::is_not_a_database(&source) {
                StoreError::NotADatabase {
                    path: path.to_path_buf(),
                    source,
                }
            } else {
                StoreError::Open {
                    path: path.to_path_buf(),
                    source,
                }
            }
        };
        let conn = Connection::open_with_flags(path, flags).map_err(wrap)?;
        Self::setup(conn, true).map_err(|e| match e {
            SetupError::Sqlite(source) => wrap(source),
            SetupError::TooNew(found) => StoreError::TooNew {
                path: path.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            },
        })
    }

    /// Opens a private cache in memory, for tests and `--no-cache` runs.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        Self::setup(conn, false).map_err(|e| match e {
            SetupError::Sqlite(e) => StoreError::Sqlite(e),
            SetupError::TooNew(found) => StoreError::TooNew {
                path: ":memory:".into(),
                found,
                supported: SCHEMA_VERSION,
            },
        })
    }

    fn setup(mut conn: Connection, on_disk: bool) -> std::result::Result<Store, SetupError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Plans must not depend on bound values: otherwise a query that a partial index might
        // serve is prepared again each time its parameters change (measured: a fifth of a first
        // fetch went to re-preparing the story-candidate lookup).
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        // Reading the schema first makes a non-database file fail here, before anything is written.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })?;
        let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        if on_disk && pages == 0 {
            // Only for a new, empty file (before WAL is set): 8 KB pages hold three compressed
            // bodies where 4 KB pages hold one, and halve the WAL frames.
            conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        }
        if on_disk {
            let mode: String =
                conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!("cache journal mode is {mode}, not WAL");
            }
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "cache_size", -32_000)?;
        // A refresh writes tens of MB: checkpoint every 64 MB rather than every 4 MB, so the
        // burst is written once, then copied when `index_pending` finds nothing left to do.
        conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)?;
        conn.set_prepared_statement_cache_capacity(64);
        if let Err(found) = schema::migrate(&mut conn)? {
            return Err(SetupError::TooNew(found));
        }
        Ok(Store { conn })
    }

    /// Runs SQLite's full consistency check (FTS index included) and returns its verdict:
    /// `"ok"` when the file is sound, else the problems it lists, one per line.
    pub fn integrity_check(&self) -> Result<String> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let lines = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(lines.join("\n"))
    }

    /// Copies what the write-ahead log holds back into the main file, as far as readers allow,
    /// without waiting for them. [`Store::index_pending`] calls it when the index is complete.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Starts a write transaction that holds the write lock from its first statement, so it never
    /// fails half-way with a lock upgrade error when another process writes at the same time.
    fn write_tx(&self) -> Result<Transaction<'_>> {
        Ok(Transaction::new_unchecked(
            &self.conn,
            TransactionBehavior::Immediate,
        )?)
    }
}

enum SetupError {
    Sqlite(rusqlite::Error),
    TooNew(i64),
}

impl From<rusqlite::Error> for SetupError {
    fn from(e: rusqlite::Error) -> Self {
        SetupError::Sqlite(e)
    }
}
