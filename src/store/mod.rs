//! The SQLite cache: feeds, items with their raw bodies, read and starred state, a full-text
//! index, and retention. It knows nothing of the terminal and starts no threads.
//!
//! One [`Store`] wraps one connection. Several may be open on the same file at once (the reader
//! and a cron `tidings fetch`): the file is in WAL mode, every write is one short transaction
//! that takes the write lock up front (`BEGIN IMMEDIATE`), and a writer waits up to five seconds
//! for another before giving up with [`StoreError::Sqlite`]. See `schema.rs` for the layout.
//!
//! Beside the cache live two small files. `cache.db.lock` is held shared by every open store
//! and exclusively by [`repair`] (see `lock.rs`). `cache.db.damaged` marks a cache in which
//! damage was found; every write transaction checks for it first, so nothing writes to a damaged
//! cache (see `damage.rs`). A cache that cannot be written, or is marked damaged, can still be
//! opened for reading with [`Store::open_readable`].

mod articles;
mod body;
mod busy;
mod checkpointer;
mod config_tags;
pub mod damage;
mod dedup_stats;
mod digests;
mod downloads;
mod error;
mod feed_selectors;
mod feeds;
mod filter;
mod flush;
pub mod foreign;
mod fresh;
mod headlines;
pub mod image_files;
mod imported;
mod index_words;
mod items;
mod known;
pub mod lock;
mod log_freeing;
mod queries;
mod ranked;
mod refresh_hints;
mod repair;
mod retention;
mod rules;
mod schema;
mod search;
mod search_terms;
mod search_text;
mod stories;
mod story_key_memo;
mod sync;
mod sync_edits;
mod tag_stories;
mod update;
mod url_keys;
mod view_settings;
mod wal_vfs;
mod word_coded;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod testutil;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

pub use articles::{NewArticle, PageJob, PageState, ParsedBody};
pub use body::{PackedText, StoredBody};
pub use checkpointer::Checkpointer;
pub use dedup_stats::{STATS_WINDOW, StoredFeedStats};
pub use digests::{IndexEntry, ItemDigests, PendingItem};
pub use downloads::{Download, DownloadState};
pub use error::{Result, StoreError};
pub use fresh::NewStories;
pub use imported::{Found, ItemFinder};
pub use lock::lock_path;
pub use log_freeing::free_large_logs_elsewhere;
pub use repair::{RepairReport, repair};
pub use retention::RetentionPolicy;
pub use rules::{ItemMarks, Rule, RuleAction, RuleCount};
pub use schema::SCHEMA_VERSION;
pub use search::fts_query;
pub use search_text::search_text;
pub use sync::{QueuedChanges, SyncChange, SyncedFeed, SyncedItem, SyncedStats};
pub use sync_edits::QueuedFeedEdit;
pub use update::{BatchEntry, FeedUpdate, UpdateStats};
pub use view_settings::ViewSetting;

/// How long a connection waits for another one's write lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Page size of new cache files.
const PAGE_SIZE: i64 = 8192;
/// WAL size (in pages) past which a commit copies the WAL back into the file.
const WAL_AUTOCHECKPOINT_PAGES: i64 = 8192;

/// A connection to the cache file, with the schema up to date.
pub struct Store {
    conn: Connection,
    /// The cache file (`None` in memory): where the damage marker is looked for.
    path: Option<PathBuf>,
    /// Why this connection only reads, if it does.
    read_only: Option<ReadOnly>,
    /// The shared lock that keeps a repair away while this connection is open.
    _lock: Option<lock::CacheLock>,
    /// The last search's ranked results, kept until the cache changes.
    search_cache: ranked::Cache,
    /// The rules applied to new items as they are stored, and whether lists show hidden items.
    rules: rules::Settings,
    /// The story keys this connection knows of, for the items it stores (see
    /// `story_key_memo.rs`).
    story_keys: std::cell::RefCell<story_key_memo::StoryKeyMemo>,
}

/// Why a store was opened read-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadOnly {
    /// The file, its folder or its file system cannot be written.
    NotWritable(String),
    /// The cache is marked damaged: it is read, never written, until `tidings repair`.
    Damaged(String),
}

impl std::fmt::Display for ReadOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadOnly::NotWritable(_) => write!(f, "read-only cache"),
            ReadOnly::Damaged(_) => write!(f, "damaged cache, read-only: run `tidings repair`"),
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.conn.path())
            .field("read_only", &self.read_only)
            .finish()
    }
}

impl Store {
    /// Opens (creating if needed) the cache at `path` for reading and writing, and brings its
    /// schema up to date.
    ///
    /// The parent directory must exist. A file that is not a SQLite database, or is damaged,
    /// gives [`StoreError::NotADatabase`] naming the path; a cache marked damaged gives
    /// [`StoreError::Damaged`]; one that cannot be written gives [`StoreError::ReadOnly`]; one
    /// under repair gives [`StoreError::InRepair`].
    pub fn open(path: &Path) -> Result<Store> {
        let lock = match lock::shared(path)? {
            Ok(lock) => Some(lock),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                return Err(StoreError::ReadOnly {
                    path: path.to_path_buf(),
                    reason: format!("cannot write {}: {e}", lock::lock_path(path).display()),
                });
            }
            // A missing folder, say: SQLite names the problem below.
            Err(_) => None,
        };
        if let Some(detail) = damage::marked(path) {
            return Err(StoreError::Damaged {
                path: path.to_path_buf(),
                detail,
            });
        }
        log_freeing::remove_leftovers(path);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        // The log written in large pieces (see `wal_vfs.rs`), when the VFS could be registered.
        let conn = if wal_vfs::register() {
            Connection::open_with_flags_and_vfs(path, flags, wal_vfs::VFS_NAME)
        } else {
            Connection::open_with_flags(path, flags)
        }
        .map_err(|e| wrap(path, e))?;
        // SQLite quietly falls back to reading when the file cannot be written.
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(StoreError::ReadOnly {
                path: path.to_path_buf(),
                reason: "the file cannot be written".into(),
            });
        }
        let mut store = Self::setup(conn, true).map_err(|e| match e {
            SetupError::Sqlite(source) => wrap(path, source),
            SetupError::TooNew(found) => StoreError::TooNew {
                path: path.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            },
        })?;
        store.path = Some(path.to_path_buf());
        store._lock = lock;
        Ok(store)
    }

    /// Opens the cache at `path` for commands that only read it: as [`Store::open`] does when
    /// it can be written, else read-only (a read-only home, or a cache marked damaged); see
    /// [`Store::read_only`].
    pub fn open_readable(path: &Path) -> Result<Store> {
        match Store::open(path) {
            Err(StoreError::ReadOnly { reason, .. }) if path.exists() => {
                Store::open_read_only(path, ReadOnly::NotWritable(reason))
            }
            Err(StoreError::Damaged { detail, .. }) => {
                Store::open_read_only(path, ReadOnly::Damaged(detail))
            }
            other => other,
        }
    }

    /// Opens an existing cache without ever writing to it (not even its `-wal` or `-shm`
    /// when they cannot be written).
    fn open_read_only(path: &Path, why: ReadOnly) -> Result<Store> {
        let lock = lock::shared_read_only(path)?;
        let conn = read_only_connection(path).map_err(|e| wrap(path, e))?;
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| wrap(path, e))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        if found < SCHEMA_VERSION {
            return Err(StoreError::ReadOnly {
                path: path.to_path_buf(),
                reason: format!(
                    "{why}, and its schema (version {found}) needs an upgrade to version {SCHEMA_VERSION}, which writes"
                ),
            });
        }
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| wrap(path, e))?;
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )
        .map_err(|e| wrap(path, e))?;
        conn.pragma_update(None, "cache_size", -32_000)
            .map_err(|e| wrap(path, e))?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(Store {
            conn,
            path: Some(path.to_path_buf()),
            read_only: Some(why),
            _lock: lock,
            search_cache: Default::default(),
            rules: Default::default(),
            story_keys: Default::default(),
        })
    }

    /// Why this store only reads, or `None` when it can write.
    pub fn read_only(&self) -> Option<&ReadOnly> {
        self.read_only.as_ref()
    }

    /// Fails when this store must not write: it was opened read-only, or the cache has been
    /// marked damaged since (by this process or another). Every write transaction starts here.
    fn check_writable(&self) -> Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        match &self.read_only {
            Some(ReadOnly::NotWritable(reason)) => Err(StoreError::ReadOnly {
                path: path.clone(),
                reason: reason.clone(),
            }),
            Some(ReadOnly::Damaged(detail)) => Err(StoreError::Damaged {
                path: path.clone(),
                detail: detail.clone(),
            }),
            None => match damage::marked(path) {
                Some(detail) => Err(StoreError::Damaged {
                    path: path.clone(),
                    detail,
                }),
                None => Ok(()),
            },
        }
    }

    /// Turns an error met while using this store into the one to report: damage found in the
    /// cache marks it damaged (so that no process writes to it any more) and names the file.
    pub fn note_error(&self, e: StoreError) -> StoreError {
        match &self.path {
            Some(path) if e.is_corruption() => damage::mark_damaged(path, &damage::cause(&e)),
            _ => e,
        }
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
        // A refresh checkpoints from another thread while it writes (`checkpointer.rs`), so its
        // log can grow past that size; the next write that starts the log again cuts the file
        // back to this.
        conn.pragma_update(
            None,
            "journal_size_limit",
            WAL_AUTOCHECKPOINT_PAGES * PAGE_SIZE,
        )?;
        conn.set_prepared_statement_cache_capacity(64);
        if let Err(found) = schema::migrate(&mut conn)? {
            return Err(SetupError::TooNew(found));
        }
        Ok(Store {
            conn,
            path: None,
            read_only: None,
            _lock: None,
            search_cache: Default::default(),
            rules: Default::default(),
            story_keys: Default::default(),
        })
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
        self.check_writable()?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
        Ok(())
    }

    /// Keeps at most `kib` KiB of the file's pages in this connection's own cache (32 MB by
    /// default). A refresh's writer sets it lower: it writes far more than it reads back, the
    /// pages it reads again are in the system's file cache anyway, and its full cache was a
    /// tenth of a first fetch's peak memory (a 500-feed first fetch, five alternating runs: peak
    /// 145 MB with 32 MB, 130 MB with 16 MB, in the same time).
    pub fn set_page_cache_kib(&self, kib: i64) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -kib.max(1))?;
        Ok(())
    }

    /// Starts a write transaction that holds the write lock from its first statement, so it never
    /// fails half-way with a lock upgrade error when another process writes at the same time.
    fn write_tx(&self) -> Result<Transaction<'_>> {
        self.check_writable()?;
        Ok(Transaction::new_unchecked(
            &self.conn,
            TransactionBehavior::Immediate,
        )?)
    }
}

/// The error for a failure to open or set up the cache at `path`, naming it.
fn wrap(path: &Path, source: rusqlite::Error) -> StoreError {
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
}

/// A read-only connection to the cache at `path`. In WAL mode a reader needs the `-shm` file;
/// where it cannot be created (a read-only folder) and no `-wal` holds unsaved pages, the file
/// is opened as immutable, which needs neither.
fn read_only_connection(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let uri = |param: &str| {
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        match url::Url::from_file_path(&abs) {
            Ok(u) => format!("{u}?{param}"),
            Err(()) => format!("file:{}?{param}", abs.display()),
        }
    };
    let conn = Connection::open_with_flags(uri("mode=ro"), flags)?;
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(conn),
        Err(e) => {
            let wal = lock::sibling(path, "-wal");
            let wal_empty = std::fs::metadata(&wal).map_or(true, |m| m.len() == 0);
            if !wal_empty {
                return Err(e);
            }
            drop(conn);
            let conn = Connection::open_with_flags(uri("immutable=1"), flags)?;
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
                r.get::<_, i64>(0)
            })?;
            Ok(conn)
        }
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
