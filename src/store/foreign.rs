//! Reading another reader's cache: newsboat's `cache.db`, opened read-only, for the read and
//! starred state of its items.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

/// One item of newsboat's cache, as far as its state goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsboatItem {
    /// The item's guid (newsboat stores the link when the feed gives none).
    pub guid: Option<String>,
    /// The item's link.
    pub url: Option<String>,
    /// The feed's address.
    pub feed_url: Option<String>,
    /// Whether newsboat has it unread.
    pub unread: bool,
    /// newsboat's flags, one letter each (`s` is commonly used for starred).
    pub flags: String,
}

/// Why newsboat's cache could not be read. SQLite's message is kept as text, not as the error's
/// source: an error about this file must never read as damage to tidings' own cache.
#[derive(Debug, thiserror::Error)]
pub enum ForeignCacheError {
    /// The file could not be opened.
    #[error("cannot open {}: {detail}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
    },
    /// The file is not a newsboat cache (not SQLite, or no `rss_item` table with the columns).
    #[error("{} is not a newsboat cache (newsboat keeps it in ~/.local/share/newsboat/cache.db or ~/.newsboat/cache.db): {detail}", path.display())]
    NotNewsboat {
        /// The file.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
    },
}

/// Every item of the newsboat cache at `path`, which is opened read-only and never changed.
pub fn newsboat_items(path: &Path) -> Result<Vec<NewsboatItem>, ForeignCacheError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| ForeignCacheError::Open {
        path: path.to_path_buf(),
        detail: e.to_string(),
    })?;
    let not_newsboat = |e: rusqlite::Error| ForeignCacheError::NotNewsboat {
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let mut stmt = conn
        .prepare("SELECT guid, url, feedurl, unread, flags FROM rss_item ORDER BY id")
        .map_err(not_newsboat)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(NewsboatItem {
                guid: r.get(0)?,
                url: r.get(1)?,
                feed_url: r.get(2)?,
                unread: r.get::<_, Option<i64>>(3)?.unwrap_or(1) != 0,
                flags: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            })
        })
        .map_err(not_newsboat)?;
    rows.collect::<rusqlite::Result<Vec<_>>>()
        .map_err(not_newsboat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_a_newsboat_cache_says_so_and_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notes.txt");
        std::fs::write(
            &text,
            "not a database at all, just some words\n".repeat(100),
        )
        .unwrap();
        let e = newsboat_items(&text).unwrap_err().to_string();
        assert!(e.contains("is not a newsboat cache"), "{e}");
        let other = dir.path().join("other.db");
        Connection::open(&other)
            .unwrap()
            .execute_batch("CREATE TABLE t (x)")
            .unwrap();
        let before = std::fs::read(&other).unwrap();
        let e = newsboat_items(&other).unwrap_err().to_string();
        assert!(e.contains("is not a newsboat cache"), "{e}");
        assert_eq!(std::fs::read(&other).unwrap(), before);
        let e = newsboat_items(&dir.path().join("missing.db")).unwrap_err();
        assert!(e.to_string().starts_with("cannot open"), "{e}");
        assert!(!dir.path().join("missing.db").exists());
    }
}
