use std::io::Write;

use crate::store::testutil::temp_store;
use crate::store::{SCHEMA_VERSION, Store, StoreError};

#[test]
fn empty_file_gets_the_schema_and_wal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::File::create(&path).unwrap();
    let store = Store::open(&path).unwrap();
    let version: i64 = store
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    let mode: String = store
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let sync: i64 = store
        .conn
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 1, "synchronous=NORMAL");
    assert_eq!(store.feed_count().unwrap(), 0);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn reopening_keeps_data_and_does_not_migrate_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.db");
    let id = Store::open(&path)
        .unwrap()
        .add_feed("https://a.test/feed", None, &[])
        .unwrap();
    let store = Store::open(&path).unwrap();
    assert_eq!(store.feed(id).unwrap().url, "https://a.test/feed");
}

#[test]
fn garbage_file_is_a_typed_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.db");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(&[0x5au8; 8192]).unwrap();
    drop(f);
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
    assert!(err.to_string().contains("garbage.db"), "{err}");
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let err = Store::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { .. }), "{err:?}");
}

#[test]
fn missing_directory_is_an_open_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(&dir.path().join("no/such/dir/cache.db")).unwrap_err();
    assert!(matches!(err, StoreError::Open { .. }), "{err:?}");
}

#[test]
fn in_memory_store_works() {
    let store = Store::open_in_memory().unwrap();
    store.add_feed("demo:x", Some("X"), &[]).unwrap();
    assert_eq!(store.feed_count().unwrap(), 1);
    let (_dir, file) = temp_store();
    assert_eq!(file.feed_count().unwrap(), 0);
}
