//! The `[[feed]]` tables as the commands use them: the plans of a refresh (credentials resolved
//! before anything else runs), and the title and tags a feed is shown with.

use std::sync::Arc;

use super::{Context, output};
use crate::model::FeedRow;
use crate::refresh::FeedPlans;
use crate::store::Store;

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

/// Lays the tags the config's `[[feed]]` tables add to feeds over the cache (see
/// [`Store::set_config_tags`]), so that tag views, their counts, filters and rules see them; a
/// cache that cannot be written is left as it is. A failure is logged, not fatal: the feeds'
/// own tags still work.
pub(crate) fn lay_config_tags(ctx: &Context, store: &Store) {
    if store.read_only().is_some() {
        return;
    }
    let pairs = if ctx.config.feeds.tables.is_empty() {
        Ok(Vec::new())
    } else {
        store.feeds().map(|feeds| {
            feeds
                .iter()
                .flat_map(|f| {
                    let (_, tags) = ctx.config.feeds.title_and_tags(f);
                    tags.into_iter()
                        .filter(|t| !f.tags.contains(t))
                        .map(|t| (f.id, t))
                        .collect::<Vec<_>>()
                })
                .collect()
        })
    };
    if let Err(e) = pairs.and_then(|p| store.set_config_tags(&p)) {
        tracing::warn!("cannot lay the [[feed]] tables' tags over the cache: {e}");
    }
}
