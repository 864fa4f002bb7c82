//! The log written in large pieces (`wal_vfs.rs`): what one connection commits through it is in
//! the file before any other connection can see the commit, and nothing is lost or reordered.

use rusqlite::{Connection, OpenFlags, params};

use crate::store::wal_vfs;

/// A connection through the gathering VFS, in WAL mode with the cache's settings.
fn writer(path: &std::path::Path) -> Connection {
    assert!(wal_vfs::register(), "the VFS registers");
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags_and_vfs(path, flags, wal_vfs::VFS_NAME).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    conn
}

/// A plain connection, as another thread or process would have.
fn reader(path: &std::path::Path) -> Connection {
    Connection::open(path).unwrap()
}

/// A blob that says which row it belongs to in every byte, so a page read from the wrong place
/// shows.
fn blob(id: i64, len: usize) -> Vec<u8> {
    (0..len).map(|i| (id as usize * 31 + i) as u8).collect()
}

/// Checks, through `conn`, that rows 1 to `n` are there with their blobs.
fn check_rows(conn: &Connection, n: i64) {
    let count: i64 = conn
        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, n);
    let mut stmt = conn.prepare("SELECT id, data FROM t ORDER BY id").unwrap();
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .unwrap();
    for (k, row) in rows.enumerate() {
        let (id, data) = row.unwrap();
        assert_eq!(id, k as i64 + 1);
        assert_eq!(data, blob(id, data.len()), "row {id}'s bytes");
    }
}

#[test]
fn each_commit_is_in_the_file_before_another_connection_sees_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let w = writer(&path);
    w.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL)")
        .unwrap();
    let r = reader(&path);
    let mut n = 0;
    // Small commits (one frame or two, far less than is gathered before a write) and large
    // ones (many pieces), each checked from the other connection at once.
    for round in 0..60 {
        let rows = if round % 10 == 9 { 200 } else { 1 };
        let tx = w.unchecked_transaction().unwrap();
        for _ in 0..rows {
            n += 1;
            let len = 500 + (n as usize * 977) % 6000;
            tx.execute(
                "INSERT INTO t (id, data) VALUES (?1, ?2)",
                params![n, blob(n, len)],
            )
            .unwrap();
        }
        tx.commit().unwrap();
        check_rows(&r, n);
    }
    let ok: String = r
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
}

#[test]
fn a_transaction_spilled_then_rolled_back_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let w = writer(&path);
    w.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL)")
        .unwrap();
    w.execute("INSERT INTO t (id, data) VALUES (1, ?1)", [blob(1, 3000)])
        .unwrap();
    // A page cache of ten pages: the transaction spills frames to the log before it ends.
    w.pragma_update(None, "cache_size", 10).unwrap();
    let tx = w.unchecked_transaction().unwrap();
    for id in 2..400 {
        tx.execute(
            "INSERT INTO t (id, data) VALUES (?1, ?2)",
            params![id, blob(id, 5000)],
        )
        .unwrap();
    }
    // Read back through the writer while frames are gathered: it sees its own writes.
    let mid: i64 = tx
        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mid, 399);
    tx.rollback().unwrap();
    let r = reader(&path);
    check_rows(&r, 1);
    w.execute("INSERT INTO t (id, data) VALUES (2, ?1)", [blob(2, 7000)])
        .unwrap();
    check_rows(&r, 2);
    check_rows(&w, 2);
}

#[test]
fn a_checkpointed_and_closed_cache_holds_every_commit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    {
        let w = writer(&path);
        w.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL)")
            .unwrap();
        let checkpointer = reader(&path);
        for id in 1..=300 {
            w.execute(
                "INSERT INTO t (id, data) VALUES (?1, ?2)",
                params![id, blob(id, 4000)],
            )
            .unwrap();
            if id % 50 == 0 {
                // A checkpoint from another connection copies what it can see.
                checkpointer
                    .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    .unwrap();
            }
        }
    }
    assert!(!dir.path().join("c.db-wal").exists(), "the log is gone");
    let r = reader(&path);
    check_rows(&r, 300);
}

#[test]
fn a_reader_on_another_thread_never_sees_a_torn_commit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let w = writer(&path);
    w.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL)")
        .unwrap();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let (path, done) = (path.clone(), done.clone());
        std::thread::spawn(move || {
            let r = reader(&path);
            let mut looks = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                // Each commit adds ten rows: a count between two commits would be torn. One
                // read transaction, so that the count and the rows are of one snapshot.
                r.execute_batch("BEGIN").unwrap();
                let n: i64 = r
                    .query_row("SELECT count(*) FROM t", [], |row| row.get(0))
                    .unwrap();
                assert_eq!(n % 10, 0, "a whole number of commits");
                check_rows(&r, n);
                r.execute_batch("COMMIT").unwrap();
                looks += 1;
            }
            looks
        })
    };
    let mut id = 0;
    for _ in 0..100 {
        let tx = w.unchecked_transaction().unwrap();
        for _ in 0..10 {
            id += 1;
            tx.execute(
                "INSERT INTO t (id, data) VALUES (?1, ?2)",
                params![id, blob(id, 2500)],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(watcher.join().unwrap() > 0, "the reader looked");
    check_rows(&reader(&path), 1000);
}
