//! `tidings sync`: sync the cache with the server of `[sync]` and say how it went.

use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{Context, output};
use crate::cli::SyncArgs;
use crate::content::sanitize_line;
use crate::sync::{Account, Server, SyncError, SyncReport};

/// Syncs with the configured server. Exit status 1, after one line naming the server and what
/// to do, when the sync could not be done (nothing cached is lost; queued changes stay).
pub async fn run(ctx: &Context, args: SyncArgs) -> anyhow::Result<ExitCode> {
    let Some(account) = Account::from_settings(&ctx.config.sync)? else {
        anyhow::bail!(
            "no server to sync with: set `[sync] server`, `url`, `username` and `password_command` in {}",
            ctx.paths.config.display()
        );
    };
    let visible = !args.quiet && !args.json && output::stderr_is_terminal();
    match sync_account(ctx, &account, visible).await {
        Ok(report) => {
            let pages = pages_after_sync(ctx, &report, args.quiet || args.json).await?;
            if args.json {
                let mut value = serde_json::to_value(&report)?;
                value["pages"] = serde_json::to_value(pages.pages)?;
                value["cache_errors"] = serde_json::to_value(
                    report
                        .cache_errors
                        .iter()
                        .chain(&pages.cache_errors)
                        .collect::<Vec<_>>(),
                )?;
                output::stdout().json(&value)?;
            } else {
                print_report(&report, false, args.quiet)?;
                print_pages(&pages, args.quiet)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let store = ctx.open_store().ok();
            let queued = store
                .as_ref()
                .and_then(|s| s.queued_count(&account.key()).ok())
                .unwrap_or(0);
            let queued_feed_edits = store
                .as_ref()
                .and_then(|s| s.queued_feed_edit_count(&account.key()).ok())
                .unwrap_or(0);
            if args.json {
                output::stdout().json(&serde_json::json!({
                    "server": account.describe(),
                    "error": e.to_string(),
                    "queued": queued,
                    "queued_feed_edits": queued_feed_edits,
                }))?;
            }
            Err(anyhow::anyhow!(e))
        }
    }
}

/// What the sync a fetch runs first said: its report as JSON, or (`Err`) its error as JSON; and
/// the new items it brought, by feed (for their article pages).
pub(crate) type FetchSync = (
    Result<serde_json::Value, serde_json::Value>,
    std::collections::HashMap<crate::model::FeedId, Vec<crate::model::ItemId>>,
);

/// The sync a fetch runs first when `[sync]` is set: `None` without a server; else what it said,
/// its error said on stderr in one line. A failed sync does not stop the fetch of the local
/// feeds. An `automatic` one (`fetch --due`) is skipped while failed syncs' backoff lasts (see
/// [`crate::sync::backoff`]), and says so in one line unless `quiet`.
pub(crate) async fn sync_for_fetch(
    ctx: &Context,
    quiet: bool,
    automatic: bool,
) -> anyhow::Result<Option<FetchSync>> {
    let Some(account) = Account::from_settings(&ctx.config.sync)? else {
        return Ok(None);
    };
    if automatic
        && let Some(waiting) =
            crate::sync::backoff::automatic_sync_waits(&ctx.paths.cache, &account.key())
    {
        let message = waiting.message("`tidings sync` tries now");
        if !quiet {
            output::stderr().line(format_args!("sync: {message}"))?;
        }
        let value = serde_json::json!({
            "server": account.describe(),
            "skipped": message,
            "retry_in_secs": waiting.secs_left,
            "failed_syncs": waiting.failures,
        });
        return Ok(Some((Err(value), Default::default())));
    }
    let visible = !quiet && output::stderr_is_terminal();
    match sync_account(ctx, &account, visible).await {
        Ok(report) => {
            print_report(&report, false, quiet)?;
            let value = serde_json::to_value(&report)?;
            Ok(Some((Ok(value), report.new_ids)))
        }
        Err(e) => {
            output::stderr().line(format_args!("sync: {}", sanitize_line(&e.to_string())))?;
            let value = serde_json::json!({
                "server": account.describe(),
                "error": e.to_string(),
            });
            Ok(Some((Err(value), Default::default())))
        }
    }
}

/// After the sync `report`: the article pages of the server's feeds whose full-text mode wants
/// them (the sync's new items, and retries due), fetched as `tidings fetch` fetches those of its
/// own feeds (see [`crate::refresh::SyncedFeeds`]). Nothing is downloaded besides.
pub(crate) async fn pages_after_sync(
    ctx: &Context,
    report: &SyncReport,
    quiet: bool,
) -> anyhow::Result<crate::refresh::Report> {
    let server_feeds = {
        let store = ctx.open_store()?;
        let ids = store.synced_feed_ids()?;
        let mut feeds = store.feeds()?;
        feeds.retain(|f| ids.contains(&f.id));
        // Nothing new and no page waiting for a retry: no run (a sync with nothing new stays
        // quick).
        let mut waiting = false;
        for f in &feeds {
            waiting = waiting || store.waiting_pages(f.id)? > 0;
        }
        if report.new_ids.is_empty() && !waiting {
            return Ok(crate::refresh::Report::default());
        }
        feeds
    };
    let opts = crate::refresh::RefreshOptions {
        fetch: ctx.config.fetch_config(),
        retention: ctx.config.retention_policy(),
        pages: ctx.config.page_limits(),
        plans: super::per_feed::plans(ctx, &server_feeds, quiet)?,
        rules: ctx.config.rules.clone(),
        images: Some(ctx.config.images.files(&ctx.paths.cache)),
    };
    let synced = crate::refresh::SyncedFeeds {
        feeds: server_feeds,
        new_items: report.new_ids.clone(),
    };
    crate::refresh::run_with_synced(&ctx.paths.cache, Vec::new(), synced, &opts, |_| {}).await
}

/// The line about the article pages fetched after a sync, when there were any, and the cache's
/// errors.
fn print_pages(report: &crate::refresh::Report, quiet: bool) -> anyhow::Result<()> {
    let mut err = output::stderr();
    let p = &report.pages;
    if !quiet && p.fetched + p.kept + p.failed + p.pending > 0 {
        err.line(format_args!(
            "article pages: {} fetched, {} kept the teaser, {} failed, {} pending",
            p.fetched, p.kept, p.failed, p.pending
        ))?;
    }
    for e in &report.cache_errors {
        err.line(format_args!("cache: {}", sanitize_line(e)))?;
    }
    Ok(())
}

/// `tidings add` with `[sync]` set: subscribes on the server, then syncs to bring the feed.
pub(crate) async fn add_on_server(
    ctx: &Context,
    account: &Account,
    url: &str,
    tag: Option<&String>,
) -> anyhow::Result<ExitCode> {
    let server = account.connect(ctx.config.fetch_config().request_timeout)?;
    server.check().await?;
    server.subscribe(url, tag.map(String::as_str)).await?;
    let report = crate::sync::run(
        &server,
        &account.key(),
        &ctx.paths.cache,
        account.days,
        &ctx.config.rules,
        |_| {},
    )
    .await?;
    output::stdout().line(format_args!(
        "Subscribed on {} to {}; {} new items",
        sanitize_line(&account.describe()),
        sanitize_line(&crate::fetch::display_url(url)),
        report.new_items
    ))?;
    print_pages(&pages_after_sync(ctx, &report, false).await?, false)?;
    Ok(ExitCode::SUCCESS)
}

/// `tidings remove` of a server feed: unsubscribes on the server.
pub(crate) fn remove_on_server(
    ctx: &Context,
    account: &Account,
    remote: &str,
) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async {
        let server = account.connect(ctx.config.fetch_config().request_timeout)?;
        server.check().await?;
        server.unsubscribe(remote).await
    })?;
    Ok(())
}

/// One sync of `account` into the cache.
/// A spinner on standard error names the pages and items received so far when `visible`.
pub(crate) async fn sync_account(
    ctx: &Context,
    account: &Account,
    visible: bool,
) -> Result<SyncReport, SyncError> {
    let server = account.connect(ctx.config.fetch_config().request_timeout)?;
    let bar = if visible {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {wide_msg}") {
            bar.set_style(style);
        }
        bar.set_message(format!(
            "syncing with {}",
            sanitize_line(&account.describe())
        ));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    } else {
        ProgressBar::hidden()
    };
    let shown = bar.clone();
    let done = crate::sync::run(
        &server,
        &account.key(),
        &ctx.paths.cache,
        account.days,
        &ctx.config.rules,
        move |p| {
            shown.set_message(format!(
                "syncing: {} pages, {} items received",
                p.pages, p.items
            ))
        },
    )
    .await;
    bar.finish_and_clear();
    done
}

/// The summary: one line on stderr, or JSON on stdout.
pub(crate) fn print_report(report: &SyncReport, json: bool, quiet: bool) -> anyhow::Result<()> {
    if json {
        return output::stdout().json(report);
    }
    if quiet {
        return Ok(());
    }
    let mut err = output::stderr();
    err.line(format_args!(
        "{}: {} feeds, {} items received ({} new, {} changed state), {} local changes sent{}{}{} in {:.1} s",
        sanitize_line(&report.server),
        report.feeds,
        report.items,
        report.new_items,
        report.state_changes,
        report.pushed,
        if report.feeds_edited > 0 {
            format!(", {} feeds renamed or moved", report.feeds_edited)
        } else {
            String::new()
        },
        if report.first { ", first sync" } else { "" },
        if report.resumed { ", resumed" } else { "" },
        report.elapsed_secs
    ))?;
    for e in &report.edits_refused {
        err.line(format_args!(
            "{}: {}",
            sanitize_line(&report.server),
            sanitize_line(e)
        ))?;
    }
    for e in &report.cache_errors {
        err.line(format_args!("cache: {}", sanitize_line(e)))?;
    }
    Ok(())
}
