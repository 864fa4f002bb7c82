//! `tidings fetch`: refresh feeds into the cache and say how it went.

use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::output::stderr_is_terminal;
use super::{Context, find_feed, output};
use crate::cli::FetchArgs;
use crate::content::sanitize_line;
use crate::refresh::{self, RefreshOptions, Report};
use crate::store::RetentionPolicy;

/// Fetches the named feeds (all when none is named). Exit status 0 when every download that
/// arrived was stored, whatever individual feeds did; 1 when the cache could not take some of
/// them (a full disk, a damaged cache), after a report of which feeds were stored and which not.
pub async fn run(ctx: &Context, args: FetchArgs) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
    let feeds = if args.feeds.is_empty() {
        store.feeds()?
    } else {
        args.feeds
            .iter()
            .map(|key| find_feed(&store, key))
            .collect::<anyhow::Result<Vec<_>>>()?
    };
    drop(store);
    let opts = RefreshOptions {
        fetch: ctx.config.fetch_config(),
        retention: retention_policy(ctx),
        pages: ctx.config.page_limits(),
    };
    let bar = progress_bar(
        feeds.len() as u64,
        !args.quiet && !args.json && stderr_is_terminal(),
    );
    let shown = bar.clone();
    let report = refresh::run(&ctx.paths.cache, feeds, &opts, move |p| {
        shown.set_position(p.done as u64);
        shown.set_message(output::clean_line(&p.title));
    })
    .await?;
    bar.finish_and_clear();
    print_report(&report, &args)?;
    if report.not_stored.is_empty() && report.cache_errors.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

/// The retention settings as the store takes them.
pub(crate) fn retention_policy(ctx: &Context) -> RetentionPolicy {
    let r = &ctx.config.retention;
    RetentionPolicy {
        max_items_per_feed: (r.max_items_per_feed > 0).then_some(r.max_items_per_feed),
        max_age_days: (r.max_age_days > 0).then_some(r.max_age_days),
        keep_unread: r.keep_unread,
        keep_starred: r.keep_starred,
    }
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
