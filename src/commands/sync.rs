//! `tidings sync`: sync the cache with the server of `[sync]` and say how it went.

use std::process::ExitCode;

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
    match sync_account(ctx, &account).await {
        Ok(report) => {
            print_report(&report, args.json, args.quiet)?;
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

/// The sync a fetch runs first when `[sync]` is set: `None` without a server; else the sync's
/// report as JSON, or (`Err`) its error as JSON after it was said on stderr in one line. A
/// failed sync does not stop the fetch of the local feeds.
pub(crate) async fn sync_for_fetch(
    ctx: &Context,
    quiet: bool,
) -> anyhow::Result<Option<Result<serde_json::Value, serde_json::Value>>> {
    let Some(account) = Account::from_settings(&ctx.config.sync)? else {
        return Ok(None);
    };
    match sync_account(ctx, &account).await {
        Ok(report) => {
            print_report(&report, false, quiet)?;
            Ok(Some(Ok(serde_json::to_value(&report)?)))
        }
        Err(e) => {
            output::stderr().line(format_args!("sync: {}", sanitize_line(&e.to_string())))?;
            Ok(Some(Err(serde_json::json!({
                "server": account.describe(),
                "error": e.to_string(),
            }))))
        }
    }
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
pub(crate) async fn sync_account(
    ctx: &Context,
    account: &Account,
) -> Result<SyncReport, SyncError> {
    let server = account.connect(ctx.config.fetch_config().request_timeout)?;
    crate::sync::run(
        &server,
        &account.key(),
        &ctx.paths.cache,
        account.days,
        &ctx.config.rules,
        |_| {},
    )
    .await
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
    for e in &report.cache_errors {
        err.line(format_args!("cache: {}", sanitize_line(e)))?;
    }
    Ok(())
}
