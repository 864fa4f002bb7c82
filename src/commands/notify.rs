//! The `[notify]` command after `tidings fetch`: run when the fetch stored new stories (unread,
//! not copies of stories already cached), waited for a little so that a cron job's notification
//! is not cut short, and never a reason for the fetch to fail.

use std::time::{Duration, Instant};

use super::{Context, output};
use crate::model::ItemId;
use crate::store::Store;

/// How long `tidings fetch` waits for the notify command before leaving it running.
const WAIT: Duration = Duration::from_secs(10);

/// The watermark to count new stories from, when a notify command is configured.
pub fn watermark(ctx: &Context, store: &Store) -> Option<ItemId> {
    if ctx.config.notify.command.is_empty() {
        return None;
    }
    store.item_watermark().ok()
}

/// Runs the notify command for the stories stored after `watermark`, if any; problems are
/// printed on standard error.
pub fn after_fetch(ctx: &Context, watermark: Option<ItemId>) -> anyhow::Result<()> {
    let Some(mark) = watermark else {
        return Ok(());
    };
    let news = ctx.open_store_readable()?.new_stories_since(mark)?;
    if news.count == 0 {
        return Ok(());
    }
    let settings = &ctx.config.notify;
    let argv = match crate::app::notify::command(settings, news.count, &news.feeds) {
        Some(Ok(argv)) => argv,
        Some(Err(e)) => {
            output::stderr().line(format_args!("tidings: [notify] command: {e}"))?;
            return Ok(());
        }
        None => return Ok(()),
    };
    let mut child = match crate::session::external::detached(&argv) {
        Ok(child) => child,
        Err(e) => {
            output::stderr().line(format_args!("tidings: cannot start {}: {e}", argv[0]))?;
            return Ok(());
        }
    };
    let start = Instant::now();
    while start.elapsed() < WAIT {
        match child.try_wait() {
            Ok(Some(status)) if !status.success() => {
                output::stderr().line(format_args!("tidings: {} failed ({status})", argv[0]))?;
                return Ok(());
            }
            Ok(Some(_)) | Err(_) => return Ok(()),
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    Ok(())
}
