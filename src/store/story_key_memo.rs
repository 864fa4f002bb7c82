//! The story keys of the cache, held in memory by a connection that stores many items, so that
//! each new item's keys are looked up without a seek into `story_keys` per key.
//!
//! `stories::assign` first asks which of an item's ten keys any stored item has; for a new story
//! (most items) none does, and the answer is the whole search. Asked of the table, that is ten
//! B-tree seeks per item, 1.7% of the instructions of a 200 x 50 first fetch (counted with the
//! question left out). Held in memory, it is ten probes of a sorted list and a hash set.
//!
//! What the memo answers is never less than the table would: every key the table had when the
//! memo read it, and every key this connection stored since. A key it holds that the table no
//! longer has (a deleted item's, or one rolled back) only costs the candidates query that finds
//! nothing, so the story found is the one the table alone gives. Only another connection could
//! add keys behind its back, and any commit by another connection changes this connection's
//! `PRAGMA data_version`, which [`StoryKeyMemo::begin`] reads at the start of each write
//! transaction: the memo then lets everything go and asks the table again.
//!
//! Reading the keys costs in proportion to the table, so the memo reads them only once the
//! items asked of the table in this run are at least an eighth of the items that have keys: at
//! once on an empty cache (a first fetch), and never in a routine fetch of a few new items into
//! a large cache. It keeps at most [`MAX_READ`] keys read (8 bytes each).

use rusqlite::Transaction;

use super::Result;
use crate::content::dedup::HashSetU64;

/// The most keys the memo reads from the table (16 MB); a larger table is always asked. (A
/// thousand in tests, so that a table over it stays small.)
const MAX_READ: usize = if cfg!(test) { 1_000 } else { 2_000_000 };
/// Items asked of the table between two looks at the table's size.
const LOOK_EVERY: u64 = 256;

/// The story keys a connection knows of (see the module's documentation).
#[derive(Debug, Default)]
pub(crate) struct StoryKeyMemo {
    /// Every key of `story_keys` when it was read, ascending, each once.
    read: Vec<i64>,
    /// The keys this connection stored since, as their bits.
    added: HashSetU64,
    /// Whether `read` and `added` hold every key the table has.
    held: bool,
    /// Items whose keys were asked of the table since the memo last let its keys go.
    asked: u64,
    /// Whether the table was found too large to read (over [`MAX_READ`] keys): then its size is
    /// not looked at again until the memo lets go.
    too_large: bool,
    /// This connection's `PRAGMA data_version` at the start of its last write transaction.
    version: Option<i64>,
}

/// The memo within one write transaction: only [`StoryKeyMemo::begin`] makes one, so the
/// memo is never used without checking for other connections' commits first.
pub(crate) struct MemoInTx<'m>(&'m mut StoryKeyMemo);

impl StoryKeyMemo {
    /// Starts the use of the memo in the write transaction `tx`: lets the keys go if another
    /// connection has committed since this one last looked (it may have stored keys).
    pub(crate) fn begin<'m>(&'m mut self, tx: &Transaction<'_>) -> Result<MemoInTx<'m>> {
        let version: i64 = tx.query_row("PRAGMA data_version", [], |r| r.get(0))?;
        if self.version != Some(version) {
            self.let_go();
            self.version = Some(version);
        }
        Ok(MemoInTx(self))
    }

    /// Forgets every key and starts counting the items asked again.
    fn let_go(&mut self) {
        *self = StoryKeyMemo {
            version: self.version,
            ..StoryKeyMemo::default()
        };
    }

    /// Whether some stored item may have `key`.
    fn may_have(&self, key: i64) -> bool {
        self.read.binary_search(&key).is_ok() || self.added.contains(&(key as u64))
    }
}

impl MemoInTx<'_> {
    /// Which of `keys` some stored item may have: every one the table has, and perhaps a few
    /// it no longer has (see the module's documentation). `ask` asks the table.
    pub(crate) fn present(
        &mut self,
        tx: &Transaction<'_>,
        keys: &[i64],
        ask: impl FnOnce() -> Result<Vec<i64>>,
    ) -> Result<Vec<i64>> {
        let memo = &mut *self.0;
        if !memo.held && !memo.too_large {
            memo.asked += 1;
            if memo.asked % LOOK_EVERY == 1 {
                memo.read_if_worth(tx)?;
            }
        }
        if memo.held {
            return Ok(keys.iter().copied().filter(|&k| memo.may_have(k)).collect());
        }
        ask()
    }

    /// Notes that `keys` were stored.
    pub(crate) fn stored(&mut self, keys: &[i64]) {
        if self.0.held {
            self.0.added.extend(keys.iter().map(|&k| k as u64));
        }
    }
}

impl StoryKeyMemo {
    /// Reads the table's keys when the items asked so far make it worth it (see the module's
    /// documentation).
    fn read_if_worth(&mut self, tx: &Transaction<'_>) -> Result<()> {
        let with_keys: i64 =
            tx.query_row("SELECT count(*) FROM story_key_lists", [], |r| r.get(0))?;
        let with_keys = u64::try_from(with_keys).unwrap_or(0);
        // Ten keys an item, at most.
        if with_keys.saturating_mul(10) > MAX_READ as u64 {
            self.too_large = true;
            return Ok(());
        }
        if self.asked * 8 < with_keys {
            return Ok(());
        }
        let mut read: Vec<i64> = Vec::new();
        let mut stmt = tx.prepare("SELECT key FROM story_keys ORDER BY key")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let key: i64 = row.get(0)?;
            if read.last() != Some(&key) {
                if read.len() == MAX_READ {
                    self.too_large = true;
                    return Ok(());
                }
                read.push(key);
            }
        }
        self.read = read;
        self.added.clear();
        self.held = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::params;

    use super::*;
    use crate::store::testutil::temp_store;

    /// Stores `keys` for `item` as `stories::assign` does: the keys and their list.
    fn put(tx: &Transaction<'_>, item: i64, keys: &[i64]) {
        for key in keys {
            tx.execute(
                "INSERT INTO story_keys (key, item_id) VALUES (?1, ?2)",
                params![key, item],
            )
            .unwrap();
        }
        tx.execute(
            "INSERT INTO story_key_lists (item_id, keys) VALUES (?1, '[]')",
            [item],
        )
        .unwrap();
    }

    /// Which of `keys` the table holds.
    fn in_table(tx: &Transaction<'_>, keys: &[i64]) -> Vec<i64> {
        keys.iter()
            .copied()
            .filter(|k| {
                tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM story_keys WHERE key = ?1)",
                    [k],
                    |r| r.get(0),
                )
                .unwrap()
            })
            .collect()
    }

    /// Asks the memo about `keys`; whether it asked the table, and its answer.
    fn present(memo: &mut MemoInTx<'_>, tx: &Transaction<'_>, keys: &[i64]) -> (bool, Vec<i64>) {
        let mut asked = false;
        let found = memo
            .present(tx, keys, || {
                asked = true;
                Ok(in_table(tx, keys))
            })
            .unwrap();
        (asked, found)
    }

    #[test]
    fn the_table_is_read_once_enough_items_were_asked_and_answers_stay_the_same() {
        let (dir, mut s) = temp_store();
        let mut memo = StoryKeyMemo::default();
        let keys = [100, 101, 555, -4000, 4001, 4100];
        {
            let tx = s.conn.transaction().unwrap();
            for item in 1..=40 {
                put(&tx, item, &[item * 100, item * 100 + 1, -item * 100]);
            }
            let mut m = memo.begin(&tx).unwrap();
            // 40 items have keys and one was asked: the table answers.
            assert_eq!(
                present(&mut m, &tx, &keys),
                (true, vec![100, 101, -4000, 4001])
            );
            for _ in 1..LOOK_EVERY {
                assert!(present(&mut m, &tx, &keys).0);
            }
            // The next look finds 257 asked against 40: the keys are read, the same answer
            // comes from memory, and a key stored since is known without the table.
            assert_eq!(
                present(&mut m, &tx, &keys),
                (false, vec![100, 101, -4000, 4001])
            );
            put(&tx, 41, &[555]);
            m.stored(&[555]);
            assert_eq!(
                present(&mut m, &tx, &keys),
                (false, vec![100, 101, 555, -4000, 4001])
            );
            tx.commit().unwrap();
        }
        // A commit of this connection keeps the memo; another connection's lets it go.
        {
            let tx = s.conn.transaction().unwrap();
            let mut m = memo.begin(&tx).unwrap();
            assert!(!present(&mut m, &tx, &keys).0);
            tx.commit().unwrap();
        }
        let other = rusqlite::Connection::open(dir.path().join("cache.db")).unwrap();
        other
            .execute(
                "INSERT INTO story_keys (key, item_id) VALUES (4100, 42)",
                [],
            )
            .unwrap();
        let tx = s.conn.transaction().unwrap();
        let mut m = memo.begin(&tx).unwrap();
        assert_eq!(
            present(&mut m, &tx, &keys),
            (true, vec![100, 101, 555, -4000, 4001, 4100])
        );
    }

    #[test]
    fn a_table_over_the_limit_is_never_read() {
        let (_dir, mut s) = temp_store();
        let mut memo = StoryKeyMemo::default();
        let tx = s.conn.transaction().unwrap();
        // Ten keys an item: 101 items may hold more keys than the memo keeps.
        let per_item = MAX_READ as i64 / 1000 * 10;
        for item in 1..=101 {
            let keys: Vec<i64> = (0..per_item).map(|k| item * 1000 + k).collect();
            put(&tx, item, &keys);
        }
        let mut m = memo.begin(&tx).unwrap();
        for _ in 0..=LOOK_EVERY {
            assert_eq!(present(&mut m, &tx, &[1000, 7]), (true, vec![1000]));
        }
        assert!(!memo.held && memo.too_large && memo.read.is_empty());
    }

    #[test]
    fn an_empty_table_is_read_at_once() {
        let (_dir, mut s) = temp_store();
        let mut memo = StoryKeyMemo::default();
        let tx = s.conn.transaction().unwrap();
        let mut m = memo.begin(&tx).unwrap();
        assert_eq!(present(&mut m, &tx, &[1, 2]), (false, vec![]));
        m.stored(&[2]);
        assert_eq!(present(&mut m, &tx, &[1, 2]), (false, vec![2]));
    }
}
