//! Each feed's CSS selector for its article pages (schema V9): when a feed has one, the page
//! fetcher takes the article from the elements it names instead of guessing by the heuristics.
//! The selector is checked before it is stored (see [`crate::content::extract::check_selector`]).

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};
use crate::model::FeedId;

impl Store {
    /// Sets (or, with `None`, clears) a feed's article selector.
    pub fn set_full_text_selector(&self, feed: FeedId, selector: Option<&str>) -> Result<()> {
        let tx = self.write_tx()?;
        super::feeds::ensure_feed(&tx, feed)?;
        match selector {
            Some(s) => tx.execute(
                "INSERT OR REPLACE INTO feed_selectors (feed_id, selector) VALUES (?1, ?2)",
                params![feed, s],
            )?,
            None => tx.execute("DELETE FROM feed_selectors WHERE feed_id = ?1", [feed])?,
        };
        tx.commit()?;
        Ok(())
    }

    /// A feed's article selector, when one was set.
    pub fn full_text_selector(&self, feed: FeedId) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT selector FROM feed_selectors WHERE feed_id = ?1")?
            .query_row([feed], |r| r.get(0))
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::StoreError;
    use crate::store::testutil::temp_store;

    #[test]
    fn a_selector_is_kept_per_feed_cleared_and_goes_with_the_feed() {
        let (_dir, s) = temp_store();
        let f = s.add_feed("http://h.test/feed", None, &[]).unwrap();
        let g = s.add_feed("http://h.test/other", None, &[]).unwrap();
        assert_eq!(s.full_text_selector(f).unwrap(), None);
        s.set_full_text_selector(f, Some("div.story-body")).unwrap();
        assert_eq!(
            s.full_text_selector(f).unwrap().as_deref(),
            Some("div.story-body")
        );
        assert_eq!(s.full_text_selector(g).unwrap(), None);
        s.set_full_text_selector(f, None).unwrap();
        assert_eq!(s.full_text_selector(f).unwrap(), None);

        s.set_full_text_selector(g, Some("main p")).unwrap();
        s.remove_feed(g).unwrap();
        let n: i64 = s
            .conn
            .query_row("SELECT count(*) FROM feed_selectors", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 0, "the selector goes with its feed");
        assert!(matches!(
            s.set_full_text_selector(g, Some("p")),
            Err(StoreError::NoSuchFeed(_))
        ));
    }
}
