//! `tidings fetch`: refresh feeds into the cache and say how it went.

use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::output::stderr_is_terminal;
use super::{Context, find_feed, output};
use crate::cli::FetchArgs;
use crate::content::fulltext::FullTextMode;
use crate::content::sanitize_line;
use crate::model::{FeedId, FeedRow};
use crate::refresh::{self, RefreshOptions, Report};
use crate::store::Store;

/// Fetches the named feeds (all when none is named). Exit status 0 when every download that
/// arrived was stored, whatever individual feeds did; 1 when the cache could not take some of
/// them (a full disk, a damaged cache), after a report of which feeds were stored and which not.
pub async fn run(ctx: &Context, args: FetchArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
    let watermark = super::notify::watermark(ctx, &store);
    // With `[sync]` set, the server fetches its feeds: they come from it, the others are fetched.
    // `--due` (the cron form) is an automatic sync: it waits while failed syncs' backoff lasts.
    let synced = super::sync::sync_for_fetch(ctx, args.quiet || args.json, args.due).await?;
    let mut feeds = if args.feeds.is_empty() {
        store.feeds()?
    } else {
        args.feeds
            .iter()
            .map(|key| find_feed(&store, key))
            .collect::<anyhow::Result<Vec<_>>>()?
    };
    // The server's feeds are not downloaded; only their article pages are fetched here.
    let mut server_feeds = Vec::new();
    if synced.is_some() {
        let ids = store.synced_feed_ids()?;
        (server_feeds, feeds) = feeds.into_iter().partition(|f| ids.contains(&f.id));
    }
    let mut pages = ctx.config.page_limits();
    if let Some(which) = &args.full_text_backfill {
        let all: Vec<FeedRow> = feeds.iter().chain(&server_feeds).cloned().collect();
        let (chosen, queued) = backfill(ctx, &store, which, &all)?;
        if !which.is_empty() && args.feeds.is_empty() {
            feeds.retain(|f| chosen.contains(&f.id));
            server_feeds.retain(|f| chosen.contains(&f.id));
        }
        let count = chosen.len();
        if !args.quiet && !args.json {
            output::stderr().line(format_args!(
                "Backfill: {queued} article pages queued over {count} feeds"
            ))?;
        }
        // Everything queued is fetched in this run, as far as the run's time allows.
        pages.max_pages_per_feed = usize::MAX;
    }
    let plans = super::per_feed::plans(ctx, &feeds, args.quiet || args.json)?;
    if args.due {
        let hints = store.refresh_hints()?;
        let now = refresh::unix_now();
        let before = feeds.len();
        feeds.retain(|f| plans.is_due(f, hints.get(&f.id).copied(), now));
        let skipped = before - feeds.len();
        if skipped > 0 && !args.quiet && !args.json {
            output::stderr().line(format_args!("{skipped} feeds not due yet: skipped"))?;
        }
    }
    drop(store);
    let opts = RefreshOptions {
        fetch: ctx.config.fetch_config(),
        retention: ctx.config.retention_policy(),
        pages,
        plans,
        rules: ctx.config.rules.clone(),
        images: Some(ctx.config.images.files(&ctx.paths.cache)),
    };
    let bar = progress_bar(
        feeds.len() as u64,
        !args.quiet && !args.json && stderr_is_terminal(),
    );
    let shown = bar.clone();
    let (synced, new_items) = match synced {
        Some((said, new_items)) => (Some(said), new_items),
        None => (None, Default::default()),
    };
    let server_feeds = refresh::SyncedFeeds {
        feeds: server_feeds,
        new_items,
    };
    let report = refresh::run_with_synced(&ctx.paths.cache, feeds, server_feeds, &opts, move |p| {
        shown.set_position(p.done as u64);
        shown.set_message(output::clean_line(&p.title));
    })
    .await?;
    bar.finish_and_clear();
    if args.json
        && let Some(synced) = synced
    {
        let mut value = serde_json::to_value(&report)?;
        value["sync"] = synced.unwrap_or_else(|e| e);
        output::stdout().json(&value)?;
    } else {
        print_report(&report, &args)?;
    }
    if let Err(e) = super::notify::after_fetch(ctx, watermark) {
        output::stderr().line(format_args!("tidings: notify: {e:#}"))?;
    }
    Ok(exit_code(&report))
}

/// 0 when every download that arrived was stored, else 1.
fn exit_code(report: &Report) -> ExitCode {
    if report.not_stored.is_empty() && report.cache_errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Queues the pages of items already stored: of the feed named by `which`, unless its mode is
/// `never`; of every feed among `feeds` whose articles are fetched when `which` is empty. Returns
/// the feeds concerned and the pages queued.
fn backfill(
    ctx: &Context,
    store: &Store,
    which: &str,
    feeds: &[FeedRow],
) -> anyhow::Result<(Vec<FeedId>, usize)> {
    let chosen: Vec<FeedId> = if which.is_empty() {
        let mut ids = Vec::new();
        for f in feeds {
            if super::feeds::full_text_decision(ctx, store, f.id)?.0 {
                ids.push(f.id);
            }
        }
        ids
    } else {
        let feed = find_feed(store, which)?;
        if super::feeds::full_text_settings(ctx, store, &feed)?.0 == FullTextMode::Never {
            anyhow::bail!(
                "{}: its full-text mode is never (`tidings add` sets it)",
                sanitize_line(&feed.title)
            );
        }
        vec![feed.id]
    };
    let mut queued = 0;
    for &id in &chosen {
        queued += store.queue_pages(id, None)?;
    }
    Ok((chosen, queued))
}

fn progress_bar(len: u64, visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
        bar.set_style(style);
    }
    bar
}

/// One summary line on stderr (or JSON on stdout), then each failure.
fn print_report(report: &Report, args: &FetchArgs) -> anyhow::Result<()> {
    if args.json {
        return output::stdout().json(report);
    }
    let mut err = output::stderr();
    if !args.quiet {
        let deferred = if report.deferred > 0 {
            format!(", {} deferred (Retry-After)", report.deferred)
        } else {
            String::new()
        };
        let mut extra = deferred;
        if !report.not_stored.is_empty() {
            extra.push_str(&format!(", {} NOT STORED", report.not_stored.len()));
        }
        if !report.gone.is_empty() {
            extra.push_str(&format!(", {} removed meanwhile", report.gone.len()));
        }
        err.line(format_args!(
            "{} feeds: {} updated, {} not modified, {} failed{extra}; {} new items in {:.1} s",
            report.feeds,
            report.updated,
            report.not_modified,
            report.failed.len(),
            report.new_items,
            report.elapsed_secs
        ))?;
        if report.queued_downloads > 0 {
            err.line(format_args!(
                "{} new episodes queued for download (`tidings download` fetches them)",
                report.queued_downloads
            ))?;
        }
        let p = &report.pages;
        if p.fetched + p.kept + p.failed + p.pending > 0 {
            err.line(format_args!(
                "article pages: {} fetched, {} kept the teaser, {} failed, {} pending",
                p.fetched, p.kept, p.failed, p.pending
            ))?;
        }
    }
    let lines = [
        ("failed", &report.failed),
        ("not stored", &report.not_stored),
        ("skipped", &report.gone),
    ];
    for (what, list) in lines {
        for f in list {
            err.line(format_args!(
                "{what}: {} ({}): {}",
                sanitize_line(&f.title),
                sanitize_line(&f.url),
                sanitize_line(&f.error)
            ))?;
        }
    }
    for e in &report.cache_errors {
        err.line(format_args!("cache: {}", sanitize_line(e)))?;
    }
    if !report.not_stored.is_empty() {
        err.line(format_args!(
            "The cache could not take {} of the {} feeds that answered; the others were stored.",
            report.not_stored.len(),
            report.not_stored.len() + report.updated + report.not_modified
        ))?;
    }
    Ok(())
}
