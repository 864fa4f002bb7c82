//! The store's typed errors: each one's `Display` is a one-line message a user can act on.

use std::path::PathBuf;

use crate::model::{FeedId, ItemId};

/// Everything that can go wrong in the cache.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file exists but is not a SQLite database, or its pages are damaged.
    #[error("{} is not a usable tidings cache (not a SQLite database, or corrupt): {source}", path.display())]
    NotADatabase {
        /// The file that was opened.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The file could not be opened or set up (permissions, missing directory, disk full...).
    #[error("cannot open the cache {}: {source}", path.display())]
    Open {
        /// The file that was opened.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The file was written by a newer tidings whose schema this build does not know.
    #[error("the cache {} has schema version {found}, newer than this tidings understands ({supported}); upgrade tidings", path.display())]
    TooNew {
        /// The file that was opened.
        path: PathBuf,
        /// The version found in the file.
        found: i64,
        /// The newest version this build knows.
        supported: i64,
    },
    /// The cache cannot be written (a read-only file, folder or file system). Commands that
    /// only read it open it read-only instead.
    #[error("the cache {} is read-only ({reason}); this command needs to write it (`feeds`, `show`, `export` and the reader still work)", path.display())]
    ReadOnly {
        /// The cache file.
        path: PathBuf,
        /// Why it cannot be written.
        reason: String,
    },
    /// The cache is damaged, or marked damaged by an earlier run: nothing writes to it until
    /// `tidings repair` has copied what is readable into a new cache.
    #[error("the cache {} is damaged ({detail}); nothing will be written to it: run `tidings repair` to copy every readable row into a new cache (the old files are kept beside it)", path.display())]
    Damaged {
        /// The cache file.
        path: PathBuf,
        /// What SQLite said when the damage was found.
        detail: String,
    },
    /// A view's filter does not parse (a saved filter, say, written by hand).
    #[error("{0}")]
    Filter(#[from] crate::filter::FilterError),
    /// `tidings repair` holds the cache.
    #[error("the cache {} is being repaired by another tidings; try again when it is done", path.display())]
    InRepair {
        /// The cache file.
        path: PathBuf,
    },
    /// Another process has the cache open, so it cannot be taken exclusively.
    #[error("the cache {} is in use by another tidings (the reader or a fetch); close it and try again", path.display())]
    InUse {
        /// The cache file.
        path: PathBuf,
    },
    /// There is no cache file to repair.
    #[error("there is no cache at {}", path.display())]
    NoCache {
        /// Where it was looked for.
        path: PathBuf,
    },
    /// The lock file beside the cache could not be opened or locked.
    #[error("cannot lock the cache {}: {source}", path.display())]
    Lock {
        /// The lock file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// A feed with this address is already subscribed.
    #[error("already subscribed to {0}")]
    DuplicateFeed(String),
    /// No feed has this id.
    #[error("no feed with id {0}")]
    NoSuchFeed(FeedId),
    /// No item has this id.
    #[error("no item with id {0}")]
    NoSuchItem(ItemId),
    /// Any other SQLite failure (busy for longer than the timeout, disk full, I/O error...).
    #[error("cache error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    /// Whether this error says the cache file is damaged (or not a database at all).
    pub fn is_corruption(&self) -> bool {
        match self {
            StoreError::NotADatabase { .. } => true,
            StoreError::Open { source, .. } | StoreError::Sqlite(source) => {
                is_not_a_database(source)
            }
            _ => false,
        }
    }

    /// Whether nothing more should be written to the cache after this error: it is damaged,
    /// marked damaged, read-only, or being repaired.
    pub fn stops_writing(&self) -> bool {
        self.is_corruption()
            || matches!(
                self,
                StoreError::Damaged { .. }
                    | StoreError::ReadOnly { .. }
                    | StoreError::InRepair { .. }
            )
    }
}

/// The store's result type.
pub type Result<T> = std::result::Result<T, StoreError>;

/// Whether SQLite's error says the file is not a database or is damaged.
pub(crate) fn is_not_a_database(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}
