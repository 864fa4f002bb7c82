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

/// The store's result type.
pub type Result<T> = std::result::Result<T, StoreError>;

/// Whether SQLite's error says the file is not a database or is damaged.
pub(crate) fn is_not_a_database(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}
