//! `tidings import` and `tidings export`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use super::Context;
use crate::content::sanitize_line;
use crate::fetch::{Source, classify, display_url, redact};
use crate::store::StoreError;
use crate::subscriptions::{OpmlFeed, parse_any, write_opml};

/// Subscribes to every entry of an OPML or newsboat `urls` file; items arrive with the next fetch.
///
/// Shared lists are common, so a local source in one (a path, a `file://` URL, a `demo:` feed) is
/// named and skipped unless the user passes `allow_local`.
pub fn import(ctx: &Context, file: &Path, allow_local: bool) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let parsed = parse_any(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let store = ctx.open_store()?;
    let (mut added, mut skipped, mut local) = (0, 0, 0);
    for w in &parsed.warnings {
        eprintln!("warning: {}", sanitize_line(w));
    }
    for entry in &parsed.entries {
        let url = match classify(&entry.url) {
            Ok(Source::Http(url)) => url.to_string(),
            Ok(_) if !allow_local => {
                local += 1;
                eprintln!(
                    "warning: local source not subscribed (pass --allow-local to subscribe it): {}",
                    sanitize_line(&entry.url)
                );
                continue;
            }
            Ok(Source::File(path)) => path.display().to_string(),
            Ok(Source::Demo(_)) => entry.url.trim().to_string(),
            Err(e) => {
                eprintln!(
                    "warning: refused {:?}: {e}",
                    sanitize_line(&display_url(&entry.url))
                );
                continue;
            }
        };
        match store.add_feed(&url, entry.title.as_deref(), &entry.tags) {
            Ok(_) => added += 1,
            Err(StoreError::DuplicateFeed(_)) => {
                skipped += 1;
                eprintln!(
                    "note: already subscribed, skipped: {}",
                    sanitize_line(&display_url(&url))
                );
            }
            Err(e) => return Err(e.into()),
        }
    }
    writeln!(
        std::io::stdout().lock(),
        "Imported {added} feeds ({skipped} already subscribed, {} refused{}). Run `tidings fetch` to download them.",
        parsed.warnings.len(),
        if local > 0 {
            format!(", {local} local sources skipped")
        } else {
            String::new()
        }
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the subscriptions as OPML 2.0 to standard output, with the passwords in their addresses
/// masked unless `with_credentials`.
pub fn export(ctx: &Context, with_credentials: bool) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
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
    write!(std::io::stdout().lock(), "{}", write_opml(&list))?;
    Ok(ExitCode::SUCCESS)
}
