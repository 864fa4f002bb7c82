//! The `[[feed]]` tables as the commands use them: the plans of a refresh (credentials resolved
//! before anything else runs), and the title and tags a feed is shown with.

use std::sync::Arc;

use super::{Context, output};
use crate::model::FeedRow;
use crate::refresh::FeedPlans;

/// The per-feed plans for refreshing `feeds`: their credentials are resolved now (each
/// `password_command` run, the `.netrc` read). Each problem is written to standard error (unless
/// `quiet`) and to the log, never with a secret in it.
pub(crate) fn plans(
    ctx: &Context,
    feeds: &[FeedRow],
    quiet: bool,
) -> anyhow::Result<Arc<FeedPlans>> {
    let (plans, problems) = crate::refresh::plan::resolve(&ctx.config.feeds, feeds);
    let mut err = output::stderr();
    for p in &problems {
        tracing::warn!("{p}");
        if !quiet {
            err.line(format_args!("warning: {p}"))?;
        }
    }
    Ok(Arc::new(plans))
}

/// The title and tags `feed` is shown with: a `[[feed]]` table's `title` wins over the cache's,
/// and its `tags` are added to the stored ones.
pub(crate) fn shown(ctx: &Context, feed: &FeedRow) -> (String, Vec<String>) {
    ctx.config.feeds.title_and_tags(feed)
}
