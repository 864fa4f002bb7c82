//! The tags the config's `[[feed]]` tables add to feeds, kept in `feed_tags` beside the feeds'
//! own (`from_config = 1`, see schema V16) so that everything that reads tags (tag views and
//! their counts, the `tag` field of filters and rules, stories per tag) sees them. Commands lay
//! them over the cache as they start; a feed's own tags stay what it lists, edits and syncs.

use std::collections::BTreeSet;

use rusqlite::params;

use super::feeds::clean_tag;
use super::{Result, Store};
use crate::model::FeedId;

impl Store {
    /// Makes `tags` (feed and tag pairs) the tags the config adds to feeds, replacing those it
    /// added before; a tag a feed has of its own stays its own. Writes nothing when nothing
    /// changed, and returns whether something did.
    pub fn set_config_tags(&self, tags: &[(FeedId, String)]) -> Result<bool> {
        let pairs = |from_config: i64| -> Result<BTreeSet<(FeedId, String)>> {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT feed_id, tag FROM feed_tags WHERE from_config = ?1")?;
            let rows = stmt.query_map([from_config], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let own = pairs(0)?;
        let want: BTreeSet<(FeedId, String)> = tags
            .iter()
            .filter_map(|(feed, tag)| Some((*feed, clean_tag(tag)?)))
            .filter(|pair| !own.contains(pair))
            .collect();
        if pairs(1)? == want {
            return Ok(false);
        }
        let tx = self.write_tx()?;
        tx.execute("DELETE FROM feed_tags WHERE from_config = 1", [])?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT OR IGNORE INTO feed_tags (tag, feed_id, from_config) \
                 SELECT ?1, id, 1 FROM feeds WHERE id = ?2",
            )?;
            for (feed, tag) in &want {
                insert.execute(params![tag, feed])?;
            }
        }
        tx.commit()?;
        Ok(true)
    }
}
