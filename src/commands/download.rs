//! `tidings download`: run the podcast download queue with a progress bar per download (two
//! at a time), or list it.

use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Context;
use super::output::{self, stderr_is_terminal};
use crate::cli::DownloadArgs;
use crate::content::sanitize_line;
use crate::podcasts::{self, Event, Folder, Take};

/// Runs every queued download (and those that failed before); exit status 1 when any failed.
pub async fn run(ctx: &Context, args: DownloadArgs) -> anyhow::Result<ExitCode> {
    if args.list {
        return list(ctx);
    }
    // Creates the cache (and its folder) when missing, so that an empty queue says so.
    drop(ctx.open_store()?);
    let folder = Folder {
        dir: ctx.config.podcasts.folder(&ctx.paths.cache),
        max_bytes: ctx.config.podcasts.max_bytes(),
    };
    let visible = !args.quiet && stderr_is_terminal();
    let multi = MultiProgress::with_draw_target(if visible {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    });
    let bars: Arc<Mutex<HashMap<i64, ProgressBar>>> = Arc::default();
    let ended: Arc<Mutex<Vec<Event>>> = Arc::default();
    let (shown, kept) = (Arc::clone(&bars), Arc::clone(&ended));
    let summary = podcasts::run(
        &ctx.paths.cache,
        ctx.config.fetch_config(),
        &folder,
        Take::Pending,
        move |event| {
            let mut bars = shown.lock().unwrap_or_else(|p| p.into_inner());
            match &event {
                Event::Started {
                    id,
                    name,
                    start,
                    total,
                } => {
                    let bar = multi.add(bar(*total));
                    bar.set_position(*start);
                    bar.set_message(output::clean_line(name));
                    bars.insert(*id, bar);
                }
                Event::Progress { id, done } => {
                    if let Some(bar) = bars.get(id) {
                        bar.set_position(*done);
                    }
                }
                Event::Done { id, .. } | Event::Failed { id, .. } => {
                    if let Some(bar) = bars.remove(id) {
                        bar.finish_and_clear();
                        multi.remove(&bar);
                    }
                    kept.lock().unwrap_or_else(|p| p.into_inner()).push(event);
                }
            }
        },
    )
    .await?;
    let mut out = output::stdout();
    let mut err = output::stderr();
    for event in ended.lock().unwrap_or_else(|p| p.into_inner()).iter() {
        match event {
            Event::Done { path, bytes, .. } if !args.quiet => out.line(format_args!(
                "downloaded {} ({})",
                sanitize_line(&path.to_string_lossy()),
                size(*bytes)
            ))?,
            Event::Failed { name, error, .. } => err.line(format_args!(
                "failed: {}: {}",
                output::clean_line(name),
                sanitize_line(error)
            ))?,
            _ => {}
        }
    }
    if !args.quiet {
        if summary.done + summary.failed == 0 {
            err.line("Nothing to download: the queue is empty (the reader's D queues an episode)")?;
        } else {
            err.line(format_args!(
                "{} downloaded, {} failed (kept in the queue: run `tidings download` again)",
                summary.done, summary.failed
            ))?;
        }
    }
    Ok(if summary.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Prints the queue: state, label, and the file or the error.
fn list(ctx: &Context) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store_readable()?;
    let mut out = output::stdout();
    for d in store.downloads()? {
        let detail = match (&d.path, &d.error) {
            (Some(path), _) => sanitize_line(path).into_owned(),
            (None, Some(error)) => sanitize_line(error).into_owned(),
            (None, None) => sanitize_line(&crate::fetch::redact(&d.url)).into_owned(),
        };
        out.line(format_args!(
            "{:<7} {}  {}",
            d.state.name(),
            output::clean_line(&podcasts::label(&d)),
            detail
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A bar counting bytes, or a spinner when the size is unknown.
fn bar(total: Option<u64>) -> ProgressBar {
    let bar = ProgressBar::no_length();
    let template = match total {
        Some(total) => {
            bar.set_length(total);
            "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} {wide_msg}"
        }
        None => "{spinner} {bytes} {bytes_per_sec} {wide_msg}",
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar
}

/// A size for people: bytes, KiB or MiB.
fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} bytes"),
        b if b < 1024 * 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
    }
}
