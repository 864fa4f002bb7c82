//! `tidings repair`: copy every readable row of a damaged cache into a new one, then put the new
//! one in place and keep the old files (the database with its `-wal` and `-shm`) renamed beside
//! it. Nothing is ever deleted. The repair holds the cache's lock exclusively, so it refuses to
//! run while the reader or a fetch has the cache open, and nobody opens it meanwhile.
//!
//! Rows are read in key order in small chunks. A chunk that meets a damaged page keeps the rows
//! read before it; the scan then probes further and further ahead (1, 2, 4... keys) for the
//! first key it can read again, so one damaged page costs the rows on it and little more.
//! Tables without a rowid are read from both ends. Whatever the old file's schema version, the
//! columns the old and new tables share are copied; counters, the search index and links
//! between rows are rebuilt from what was recovered.

use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::lock::{self, sibling};
use super::{Result, Store, StoreError, damage};

/// Rows read per step.
const CHUNK: i64 = 256;

/// What a repair did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepairReport {
    /// Rows copied, per table, in copy order.
    pub copied: Vec<(String, u64)>,
    /// Damaged places the copy had to skip.
    pub damaged_places: u64,
    /// Tables that could not be read at all.
    pub unreadable_tables: Vec<String>,
    /// Where the old files went: the database first, then its `-wal`, `-shm` and marker.
    pub kept: Vec<PathBuf>,
}

impl RepairReport {
    /// Rows copied into `table`.
    pub fn rows(&self, table: &str) -> u64 {
        self.copied
            .iter()
            .find(|(t, _)| t == table)
            .map_or(0, |(_, n)| *n)
    }
}

/// Repairs the cache at `path` (see the module documentation). Fails with
/// [`StoreError::InUse`] while another process has it open.
pub fn repair(path: &Path) -> Result<RepairReport> {
    if !path.is_file() {
        return Err(StoreError::NoCache {
            path: path.to_path_buf(),
        });
    }
    let _lock = lock::exclusive(path)?;
    let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S").to_string();
    let fresh = sibling(path, &format!(".repairing-{stamp}"));
    let mut report = RepairReport::default();
    {
        let mut store = new_cache(&fresh)?;
        copy_all(&store.conn, path, &mut report)?;
        rebuild(&store.conn)?;
        while store.index_pending(2_000)? > 0 {}
        store.checkpoint()?;
    }
    // The new cache's connection is closed: its write-ahead log is folded in and gone.
    let kept = sibling(path, &format!(".broken-{stamp}"));
    move_file(path, &kept)?;
    report.kept.push(kept.clone());
    for suffix in ["-wal", "-shm"] {
        let old = sibling(path, suffix);
        if old.exists() {
            let to = sibling(&kept, suffix);
            move_file(&old, &to)?;
            report.kept.push(to);
        }
    }
    let marker = damage::marker_path(path);
    if marker.exists() {
        let to = sibling(&kept, ".damaged");
        move_file(&marker, &to)?;
        report.kept.push(to);
    }
    for suffix in ["-wal", "-shm"] {
        let left = sibling(&fresh, suffix);
        if left.exists() {
            move_file(&left, &sibling(path, suffix))?;
        }
    }
    move_file(&fresh, path)?;
    Ok(report)
}

/// Creates the new cache with the current schema, without the lock (the repair holds the old
/// cache's) and without the damage check.
fn new_cache(path: &Path) -> Result<Store> {
    let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE
        | rusqlite::OpenFlags::SQLITE_OPEN_CREATE
        | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX
        | rusqlite::OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| super::wrap(path, e))?;
    let mut store = Store::setup(conn, true).map_err(|e| match e {
        super::SetupError::Sqlite(source) => super::wrap(path, source),
        super::SetupError::TooNew(found) => StoreError::TooNew {
            path: path.to_path_buf(),
            found,
            supported: super::SCHEMA_VERSION,
        },
    })?;
    store.path = Some(path.to_path_buf());
    Ok(store)
}

fn move_file(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|source| StoreError::Lock {
        path: from.to_path_buf(),
        source,
    })
}

/// Copies what can be read of every table the new schema has (the search index excepted: it is
/// rebuilt) from the old cache, attached read-only.
fn copy_all(conn: &Connection, old: &Path, report: &mut RepairReport) -> Result<()> {
    let abs = std::path::absolute(old).unwrap_or_else(|_| old.to_path_buf());
    let uri = match url::Url::from_file_path(&abs) {
        Ok(u) => format!("{u}?mode=ro"),
        Err(()) => format!("file:{}?mode=ro", abs.display()),
    };
    conn.execute("ATTACH DATABASE ?1 AS old", [uri])?;
    let tables: Vec<String> = {
        let mut stmt = conn.prepare(
            "SELECT name FROM main.sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'item_fts%' AND name <> 'fts_pending' \
             ORDER BY name <> 'feeds', name <> 'items', name",
        )?;
        stmt.query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for table in tables {
        match copy_table(conn, &table) {
            Ok((n, skipped)) => {
                report.copied.push((table, n));
                report.damaged_places += skipped;
            }
            Err(e) => {
                tracing::warn!("repair: table {table} unreadable: {e}");
                report.unreadable_tables.push(table);
            }
        }
    }
    conn.execute("DETACH DATABASE old", [])?;
    Ok(())
}

/// The columns `table` has in both caches, and its key columns in the old one (empty when it
/// has a rowid).
fn columns(conn: &Connection, table: &str) -> rusqlite::Result<(Vec<String>, Vec<String>)> {
    let read = |schema: &str| -> rusqlite::Result<Vec<(String, i64)>> {
        let mut stmt = conn.prepare(&format!("PRAGMA {schema}.table_info(\"{table}\")"))?;
        stmt.query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, i64>(5)?)))?
            .collect()
    };
    let new = read("main")?;
    let old = read("old")?;
    let shared = new
        .iter()
        .filter(|(c, _)| old.iter().any(|(o, _)| o == c))
        .map(|(c, _)| c.clone())
        .collect();
    let without_rowid = conn
        .prepare(&format!("SELECT rowid FROM old.\"{table}\" LIMIT 0"))
        .is_err();
    let mut key: Vec<(String, i64)> = if without_rowid {
        old.into_iter().filter(|(_, pk)| *pk > 0).collect()
    } else {
        Vec::new()
    };
    key.sort_by_key(|(_, pk)| *pk);
    Ok((shared, key.into_iter().map(|(c, _)| c).collect()))
}

/// Copies the readable rows of one table; returns the rows copied and the damaged places skipped.
fn copy_table(conn: &Connection, table: &str) -> rusqlite::Result<(u64, u64)> {
    let (cols, key) = columns(conn, table)?;
    if cols.is_empty() {
        return Ok((0, 0));
    }
    let list = cols
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let marks = vec!["?"; cols.len()].join(", ");
    let insert = format!("INSERT OR IGNORE INTO main.\"{table}\" ({list}) VALUES ({marks})");
    let mut copied = 0u64;
    let mut store = |rows: Vec<Vec<Value>>| -> rusqlite::Result<()> {
        let mut stmt = conn.prepare_cached(&insert)?;
        for row in rows {
            copied += stmt.execute(params_from_iter(row))? as u64;
        }
        Ok(())
    };
    let skipped = if key.is_empty() {
        copy_by_rowid(conn, table, &list, &mut store)?
    } else {
        copy_from_both_ends(conn, table, &list, &key, &mut store)?
    };
    Ok((copied, skipped))
}

/// One row's values, in column order.
type Row = Vec<Value>;

/// Reads `sql` until it ends or fails; returns the rows read and whether it failed.
fn read_rows(conn: &Connection, sql: &str, param: Option<i64>) -> (Vec<Row>, bool) {
    let mut out = Vec::new();
    let Ok(mut stmt) = conn.prepare(sql) else {
        return (out, true);
    };
    let n = stmt.column_count();
    let rows = match param {
        Some(p) => stmt.query([p]),
        None => stmt.query([]),
    };
    let Ok(mut rows) = rows else {
        return (out, true);
    };
    loop {
        match rows.next() {
            Ok(Some(r)) => {
                let row: rusqlite::Result<Row> = (0..n).map(|i| r.get::<_, Value>(i)).collect();
                match row {
                    Ok(row) => out.push(row),
                    Err(_) => return (out, true),
                }
            }
            Ok(None) => return (out, false),
            Err(_) => return (out, true),
        }
    }
}

/// Walks a rowid table in rowid order, skipping what cannot be read.
fn copy_by_rowid(
    conn: &Connection,
    table: &str,
    list: &str,
    store: &mut impl FnMut(Vec<Vec<Value>>) -> rusqlite::Result<()>,
) -> rusqlite::Result<u64> {
    let chunk = format!(
        "SELECT rowid, {list} FROM old.\"{table}\" WHERE rowid > ?1 ORDER BY rowid LIMIT {CHUNK}"
    );
    let probe =
        format!("SELECT rowid FROM old.\"{table}\" WHERE rowid > ?1 ORDER BY rowid LIMIT 1");
    let last: Option<i64> = conn
        .query_row(
            &format!("SELECT max(rowid) FROM old.\"{table}\""),
            [],
            |r| r.get(0),
        )
        .ok()
        .flatten();
    let mut after = i64::MIN;
    let mut skipped = 0;
    loop {
        let (rows, failed) = read_rows(conn, &chunk, Some(after));
        let got = rows.len() as i64;
        if let Some(Value::Integer(id)) = rows.last().and_then(|r| r.first()) {
            after = *id;
        }
        // The first column is the rowid, which only steers the walk.
        store(
            rows.into_iter()
                .map(|r| r.into_iter().skip(1).collect())
                .collect(),
        )?;
        if !failed {
            if got < CHUNK {
                return Ok(skipped);
            }
            continue;
        }
        skipped += 1;
        // Probe ever further ahead for the next key that can be read again, then narrow the
        // gap between the last probe that failed and the first that did not.
        let readable = |at: i64| match conn.query_row(&probe, [at], |r| r.get::<_, i64>(0)) {
            Ok(_) => Some(true),
            Err(rusqlite::Error::QueryReturnedNoRows) => None,
            Err(_) => Some(false),
        };
        let mut step: i64 = 1;
        loop {
            let at = after.saturating_add(step);
            if last.is_some_and(|m| at >= m) || step > 1 << 48 {
                return Ok(skipped);
            }
            match readable(at) {
                Some(true) => {
                    let (mut bad, mut good) = (after.saturating_add(step / 2), at);
                    while good - bad > 1 {
                        let mid = bad + (good - bad) / 2;
                        match readable(mid) {
                            Some(false) => bad = mid,
                            _ => good = mid,
                        }
                    }
                    after = good;
                    break;
                }
                None => return Ok(skipped),
                Some(false) => step = step.saturating_mul(2),
            }
        }
    }
}

/// Reads a table without rowid in key order from the start and from the end, each until it
/// meets damage.
fn copy_from_both_ends(
    conn: &Connection,
    table: &str,
    list: &str,
    key: &[String],
    store: &mut impl FnMut(Vec<Vec<Value>>) -> rusqlite::Result<()>,
) -> rusqlite::Result<u64> {
    let order = |dir: &str| {
        key.iter()
            .map(|k| format!("\"{k}\" {dir}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut skipped = 0;
    let (rows, failed) = read_rows(
        conn,
        &format!(
            "SELECT {list} FROM old.\"{table}\" ORDER BY {}",
            order("ASC")
        ),
        None,
    );
    store(rows)?;
    if failed {
        skipped += 1;
        let (rows, _) = read_rows(
            conn,
            &format!(
                "SELECT {list} FROM old.\"{table}\" ORDER BY {}",
                order("DESC")
            ),
            None,
        );
        store(rows)?;
    }
    Ok(skipped)
}

/// Makes the recovered rows consistent: rows whose parent was lost go, links to lost items are
/// cut, items whose body was lost get an empty one (and a hash that makes the next fetch
/// rewrite them), counters are recounted, every item waits for the search index, and each
/// feed's next download is unconditional, so that it brings back what the feed still lists.
fn rebuild(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "BEGIN IMMEDIATE;
         DELETE FROM items WHERE feed_id NOT IN (SELECT id FROM feeds);
         DELETE FROM feed_tags WHERE feed_id NOT IN (SELECT id FROM feeds);
         DELETE FROM tombstones WHERE feed_id NOT IN (SELECT id FROM feeds);
         DELETE FROM item_bodies WHERE item_id NOT IN (SELECT id FROM items);
         DELETE FROM story_keys WHERE item_id NOT IN (SELECT id FROM items);
         DELETE FROM story_key_lists WHERE item_id NOT IN (SELECT id FROM items);
         DELETE FROM story_sigs WHERE item_id NOT IN (SELECT id FROM items);
         DELETE FROM item_fingerprints WHERE item_id NOT IN (SELECT id FROM items);
         DELETE FROM digest_pending WHERE item_id NOT IN (SELECT id FROM items);
         DELETE FROM feed_stats WHERE feed_id NOT IN (SELECT id FROM feeds);
         UPDATE items SET story = NULL
             WHERE story IS NOT NULL AND story NOT IN (SELECT id FROM items);
         UPDATE items SET hash = 0 WHERE id NOT IN (SELECT item_id FROM item_bodies);
         INSERT INTO item_bodies (item_id, content_kind, codec, content)
             SELECT id, 'text', 0, '' FROM items WHERE id NOT IN (SELECT item_id FROM item_bodies);
         UPDATE items SET indexed = 0;
         UPDATE feeds SET etag = NULL, last_modified = NULL;
         INSERT OR IGNORE INTO fts_pending (item_id) SELECT id FROM items;
         UPDATE feeds SET
             item_count = (SELECT count(*) FROM items i WHERE i.feed_id = feeds.id
                 AND i.id NOT IN (SELECT item_id FROM item_hidden)),
             unread_count = (SELECT count(*) FROM items i WHERE i.feed_id = feeds.id AND i.read = 0
                 AND i.id NOT IN (SELECT item_id FROM item_hidden)),
             starred_count = (SELECT count(*) FROM items i WHERE i.feed_id = feeds.id AND i.starred <> 0
                 AND i.id NOT IN (SELECT item_id FROM item_hidden));
         COMMIT;",
    )
}
