//! The damage marker: a file beside the cache (`cache.db.damaged`) written when damage is found,
//! holding what SQLite said. Every writer checks it before each write transaction, so no process
//! writes to a damaged cache, and the check costs one `stat` rather than an integrity check at
//! every start (seconds on a large cache). `tidings repair` moves it aside with the old files.

use std::path::{Path, PathBuf};

use super::StoreError;
use super::lock::sibling;

/// The marker file of the cache at `cache`.
pub fn marker_path(cache: &Path) -> PathBuf {
    sibling(cache, ".damaged")
}

/// What the marker says, when the cache is marked damaged.
pub fn marked(cache: &Path) -> Option<String> {
    let path = marker_path(cache);
    if !path.exists() {
        return None;
    }
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let first = text.lines().next().unwrap_or("").trim();
    Some(if first.is_empty() {
        "marked damaged".to_string()
    } else {
        first.to_string()
    })
}

/// Marks the cache at `cache` damaged (keeping the first cause when it already is) and returns
/// the error to report. When the marker cannot be written (a read-only folder), nobody can
/// write there anyway.
pub fn mark_damaged(cache: &Path, detail: &str) -> StoreError {
    let detail = detail.lines().next().unwrap_or("").to_string();
    if marked(cache).is_none() {
        let text = format!(
            "{detail}\nFound at Unix time {}. Run `tidings repair`; until then nothing writes to this cache.\n",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        );
        if let Err(e) = std::fs::write(marker_path(cache), text) {
            tracing::warn!(
                "cannot write the damage marker beside {}: {e}",
                cache.display()
            );
        }
    }
    tracing::error!("the cache {} is damaged: {detail}", cache.display());
    StoreError::Damaged {
        path: cache.to_path_buf(),
        detail,
    }
}

/// The cause to record for a corruption error: SQLite's own words.
pub(crate) fn cause(e: &StoreError) -> String {
    match e {
        StoreError::NotADatabase { source, .. }
        | StoreError::Open { source, .. }
        | StoreError::Sqlite(source) => source.to_string(),
        other => other.to_string(),
    }
}
