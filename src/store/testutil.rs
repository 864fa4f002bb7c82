//! Helpers shared by the store's unit tests: a store on a real temporary file, items, and waiting
//! for what another thread or process does.

use super::{FeedUpdate, Store};
use crate::model::{BodyKind, ParsedItem};

/// A store on a fresh file in its own temporary directory (kept alive by the returned guard).
pub(crate) fn temp_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("cache.db")).expect("open store");
    (dir, store)
}

/// An HTML item with the given key, title and publication time.
pub(crate) fn item(key: &str, title: &str, published: Option<i64>) -> ParsedItem {
    ParsedItem {
        key: key.to_string(),
        guid: Some(key.to_string()),
        link: Some(format!("https://example.test/{key}")),
        title: title.to_string(),
        author: None,
        published,
        content: format!("<p>Body of <b>{title}</b></p>"),
        content_kind: BodyKind::Html,
        base: None,
        enclosures: Vec::new(),
    }
}

/// A successful download at `at` bringing `items`.
pub(crate) fn update(at: i64, items: Vec<ParsedItem>) -> FeedUpdate {
    FeedUpdate {
        fetched_at: at,
        items,
        ..FeedUpdate::default()
    }
}

/// Waits up to `seconds` for `done`, looking every 10 ms; whether it came true.
pub(crate) fn wait_for(seconds: u64, mut done: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while !done() {
        if std::time::Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    true
}
