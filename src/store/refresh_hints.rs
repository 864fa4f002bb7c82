//! How often each feed asks to be fetched (schema V11, `feed_refresh_hints`): the seconds the
//! feed's own hints give, stored with each download, so that `tidings fetch --due` and the
//! reader's periodic refresh can skip a feed that is not due. The time of the last attempt is
//! `feeds.last_checked`.

use std::collections::HashMap;

use rusqlite::params;

use super::{Result, Store};
use crate::model::FeedId;

impl Store {
    /// Sets (or, with `None`, clears) the seconds a feed asks to wait between fetches.
    pub fn set_refresh_hint(&self, feed: FeedId, secs: Option<i64>) -> Result<()> {
        self.check_writable()?;
        super::feeds::ensure_feed(&self.conn, feed)?;
        match secs {
            Some(secs) => self
                .conn
                .prepare_cached(
                    "INSERT OR REPLACE INTO feed_refresh_hints (feed_id, secs) VALUES (?1, ?2)",
                )?
                .execute(params![feed, secs])?,
            None => self
                .conn
                .prepare_cached("DELETE FROM feed_refresh_hints WHERE feed_id = ?1")?
                .execute([feed])?,
        };
        Ok(())
    }

    /// Every feed's hint, for the feeds that gave one.
    pub fn refresh_hints(&self) -> Result<HashMap<FeedId, i64>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT feed_id, secs FROM feed_refresh_hints")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::testutil::temp_store;

    #[test]
    fn hints_are_kept_per_feed_and_cleared() {
        let (_dir, s) = temp_store();
        let f = s.add_feed("http://h.test/feed", None, &[]).unwrap();
        let g = s.add_feed("http://h.test/other", None, &[]).unwrap();
        assert!(s.refresh_hints().unwrap().is_empty());
        s.set_refresh_hint(f, Some(3600)).unwrap();
        assert_eq!(s.refresh_hints().unwrap().get(&f), Some(&3600));
        assert_eq!(s.refresh_hints().unwrap().get(&g), None);
        s.set_refresh_hint(f, None).unwrap();
        assert!(s.refresh_hints().unwrap().is_empty());
        s.set_refresh_hint(g, Some(60)).unwrap();
        s.remove_feed(g).unwrap();
        assert!(
            s.refresh_hints().unwrap().is_empty(),
            "the hint goes with its feed"
        );
        assert!(s.set_refresh_hint(g, Some(60)).is_err());
    }
}
