//! Queries saved in the cache: a name and a filter as the user wrote it, saved from the reader's
//! filter prompt. (Those of the config file live there, and are never written here.)

use rusqlite::params;

use super::{Result, Store};

impl Store {
    /// Every saved query as `(name, filter)`, by name.
    pub fn saved_queries(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, filter FROM saved_queries ORDER BY name")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Saves `filter` under `name`, replacing a query of that name; `now` is kept as its date.
    pub fn save_query(&self, name: &str, filter: &str, now: i64) -> Result<()> {
        self.check_writable()?;
        self.conn
            .prepare_cached(
                "INSERT INTO saved_queries (name, filter, created) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (name) DO UPDATE SET filter = excluded.filter",
            )?
            .execute(params![name, filter, now])?;
        Ok(())
    }

    /// Deletes the saved query `name`; whether there was one.
    pub fn delete_query(&self, name: &str) -> Result<bool> {
        self.check_writable()?;
        let n = self
            .conn
            .prepare_cached("DELETE FROM saved_queries WHERE name = ?1")?
            .execute([name])?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::testutil::temp_store;

    #[test]
    fn queries_are_saved_replaced_and_deleted() {
        let (_d, s) = temp_store();
        assert!(s.saved_queries().unwrap().is_empty());
        s.save_query("b", "unread", 1).unwrap();
        s.save_query("a", "starred", 2).unwrap();
        s.save_query("b", "tag:x", 3).unwrap();
        assert_eq!(
            s.saved_queries().unwrap(),
            [("a".into(), "starred".into()), ("b".into(), "tag:x".into())]
        );
        assert!(s.delete_query("a").unwrap());
        assert!(!s.delete_query("a").unwrap());
        assert_eq!(s.saved_queries().unwrap().len(), 1);
    }
}
