//! `tidings set FEED --full-text MODE --full-text-selector CSS --title TITLE`: change what the
//! cache keeps for a feed (an empty value clears), and say when a `[[feed]]` table of the config
//! overrides what was set.

use std::process::ExitCode;

use super::{Context, find_feed, output};
use crate::cli::SetArgs;
use crate::content::fulltext::FullTextMode;
use crate::content::sanitize_line;

/// Stores the settings given for one feed, one line each, then one line per setting a
/// `[[feed]]` table overrides.
pub fn run(ctx: &Context, args: SetArgs) -> anyhow::Result<ExitCode> {
    if args.full_text.is_none() && args.full_text_selector.is_none() && args.title.is_none() {
        anyhow::bail!(
            "nothing to set: give --full-text MODE, --full-text-selector CSS or --title TITLE"
        );
    }
    let selector = args.full_text_selector.as_deref().map(str::trim);
    if let Some(sel) = selector.filter(|s| !s.is_empty()) {
        crate::content::extract::check_selector(sel).map_err(|_| {
            anyhow::anyhow!(
                "--full-text-selector {:?}: not a CSS selector (e.g. `article`, `div.story-body`)",
                sanitize_line(sel)
            )
        })?;
    }
    let store = ctx.open_store()?;
    let feed = find_feed(&store, &args.feed)?;
    let name = sanitize_line(&feed.title).into_owned();
    let mut out = output::stdout();
    let mut set: Vec<&'static str> = Vec::new();
    if let Some(mode) = args.full_text.as_deref() {
        let mode = match mode.trim() {
            "" => FullTextMode::Auto,
            m => FullTextMode::from_name(m).ok_or_else(|| {
                anyhow::anyhow!("--full-text {m}: expected auto, always or never")
            })?,
        };
        store.set_full_text_mode(feed.id, mode)?;
        out.line(format_args!(
            "{name} [id {}]: full text {}",
            feed.id,
            mode.name()
        ))?;
        set.push("full_text");
    }
    if let Some(sel) = selector {
        let sel = (!sel.is_empty()).then_some(sel);
        store.set_full_text_selector(feed.id, sel)?;
        match sel {
            Some(sel) => out.line(format_args!(
                "{name} [id {}]: article selector {}",
                feed.id,
                sanitize_line(sel)
            ))?,
            None => out.line(format_args!(
                "{name} [id {}]: no article selector (the heuristics pick the article)",
                feed.id
            ))?,
        }
        set.push("full_text_selector");
    }
    if let Some(title) = &args.title {
        store.set_feed_title(feed.id, title)?;
        let now = store.feed(feed.id)?;
        out.line(format_args!(
            "{name} [id {}]: title {}",
            feed.id,
            sanitize_line(&now.title)
        ))?;
        set.push("title");
    }
    let mut err = output::stderr();
    if args.title.is_some()
        && let Ok(Some(account)) = crate::sync::Account::from_settings(&ctx.config.sync)
        && store.synced_remote_id(&account.key(), feed.id)?.is_some()
    {
        err.line(format_args!(
            "note: the new title goes to {} at the next sync",
            sanitize_line(&account.describe())
        ))?;
    }
    let rules = &ctx.config.feeds;
    for key in set {
        if let Some(line) = rules.line_setting(&feed.url, &feed.tags, key) {
            err.line(format_args!(
                "note: `{key}` is set for this feed by the [[feed]] table at {}:{line}, which wins \
                 over the cache; edit the config to change it",
                ctx.paths.config.display()
            ))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
