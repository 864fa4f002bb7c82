//! `tidings` with no subcommand: the reader. On the very first run (no subscriptions at all) it
//! subscribes to the default feeds; subcommands never do.

use std::process::ExitCode;

use super::Context;
use crate::config::DEFAULT_FEEDS_OPML;
use crate::store::Store;
use crate::subscriptions::parse_opml;

/// Seeds the defaults if needed, then opens the reader.
pub fn run(ctx: &Context) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
    seed_defaults(&store)?;
    drop(store);
    anyhow::bail!("the reader is being built; use the subcommands for now");
}

/// Subscribes to `config/feeds.opml` when there are no subscriptions at all. Returns how many were added.
pub fn seed_defaults(store: &Store) -> anyhow::Result<usize> {
    if store.feed_count()? > 0 {
        return Ok(0);
    }
    let parsed = parse_opml(DEFAULT_FEEDS_OPML).map_err(anyhow::Error::msg)?;
    for e in &parsed.entries {
        store.add_feed(&e.url, e.title.as_deref(), &e.tags)?;
    }
    Ok(parsed.entries.len())
}
