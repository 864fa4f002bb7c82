//! `tidings import` and `tidings export`.

use std::path::Path;
use std::process::ExitCode;

use super::{Context, newsboat, output};
use crate::cli::ImportArgs;
use crate::content::sanitize_line;
use crate::fetch::{FetchError, Source, classify, display_url, read_local_file, redact};
use crate::store::StoreError;
use crate::subscriptions::{OpmlFeed, parse_any, write_opml};

/// `tidings import`: the subscription list (with a `urls` file's query feeds), then newsboat's
/// `ignore-article` lines, then newsboat's read and starred state, each when asked for.
pub fn import_all(ctx: &Context, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    if let Some(file) = &args.file {
        import(ctx, file, args.allow_local)?;
    }
    if let Some(config) = &args.newsboat_config {
        newsboat::print_rules(ctx, config)?;
    }
    if let Some(cache) = &args.newsboat_cache {
        newsboat::import_cache(ctx, cache)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Subscribes to every entry of an OPML or newsboat `urls` file; items arrive with the next fetch.
///
/// Shared lists are common, so a local source in one (a path, a `file://` URL, a `demo:` feed) is
/// named and skipped unless the user passes `allow_local`.
pub fn import(ctx: &Context, file: &Path, allow_local: bool) -> anyhow::Result<ExitCode> {
    let limits = ctx.config.fetch_config();
    let bytes = read_local_file(file, limits.max_body, limits.request_timeout)
        .map_err(|e| FetchError::from_local(file.to_path_buf(), e))?;
    let text = String::from_utf8_lossy(&bytes);
    let parsed = parse_any(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let store = ctx.open_store()?;
    let (mut added, mut skipped, mut local) = (0, 0, 0);
    let mut err = output::stderr();
    for w in &parsed.warnings {
        err.line(format_args!("warning: {}", sanitize_line(w)))?;
    }
    for entry in &parsed.entries {
        let url = match classify(&entry.url) {
            Ok(Source::Http(url)) => url.to_string(),
            Ok(_) if !allow_local => {
                local += 1;
                err.line(format_args!(
                    "warning: local source not subscribed (pass --allow-local to subscribe it): {}",
                    sanitize_line(&entry.url)
                ))?;
                continue;
            }
            Ok(Source::File(path)) => path.display().to_string(),
            Ok(Source::Demo(_)) => entry.url.trim().to_string(),
            Err(e) => {
                err.line(format_args!(
                    "warning: refused {:?}: {e}",
                    sanitize_line(&display_url(&entry.url))
                ))?;
                continue;
            }
        };
        match store.add_feed(&url, entry.title.as_deref(), &entry.tags) {
            Ok(_) => added += 1,
            Err(StoreError::DuplicateFeed(_)) => {
                skipped += 1;
                err.line(format_args!(
                    "note: already subscribed, skipped: {}",
                    sanitize_line(&display_url(&url))
                ))?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    output::stdout().line(format_args!(
        "Imported {added} feeds ({skipped} already subscribed, {} refused{}). Run `tidings fetch` to download them.",
        parsed.warnings.len(),
        if local > 0 {
            format!(", {local} local sources skipped")
        } else {
            String::new()
        }
    ))?;
    newsboat::save_queries(ctx, &store, &parsed.queries, file)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the subscriptions as OPML 2.0 to standard output, with the passwords in their addresses
/// masked unless `with_credentials`.
pub fn export(ctx: &Context, with_credentials: bool) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store_readable()?;
    let feeds = store.feeds()?;
    let urls: Vec<String> = feeds
        .iter()
        .map(|f| {
            if with_credentials {
                f.url.clone()
            } else {
                redact(&f.url)
            }
        })
        .collect();
    let list: Vec<OpmlFeed> = feeds
        .iter()
        .zip(&urls)
        .map(|(f, url)| OpmlFeed {
            url,
            title: &f.title,
            site: f.site_link.as_deref(),
            tags: &f.tags,
        })
        .collect();
    output::stdout().text(&write_opml(&list))?;
    Ok(ExitCode::SUCCESS)
}
