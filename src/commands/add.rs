//! `tidings add`: check that an address is a feed (or find the feed a web page links to), subscribe,
//! and store its items.

use std::process::ExitCode;

use crate::cli::AddArgs;
use crate::content::fulltext::FullTextMode;
use crate::content::sanitize_line;
use crate::feed;
use crate::fetch::{
    FetchError, FetchOutcome, FetchRequest, Fetcher, LinkPolicy, RequestExtras, Source, classify,
    display_url, stored_form,
};
use crate::model::ParsedFeed;
use crate::refresh::unix_now;
use crate::store::FeedUpdate;

use super::Context;

/// A feed that was downloaded and parsed, with what its answer said.
struct Found {
    url: String,
    parsed: ParsedFeed,
    etag: Option<String>,
    last_modified: Option<String>,
}

/// Subscribes to `args.url`. The address the user typed may be a local source; the feed links
/// of a web page are followed under a [`LinkPolicy`] (public http(s) only, or the page's own host).
pub async fn run(ctx: &Context, args: AddArgs) -> anyhow::Result<ExitCode> {
    if let Some(sel) = &args.full_text_selector {
        crate::content::extract::check_selector(sel).map_err(|_| {
            anyhow::anyhow!(
                "--full-text-selector {:?}: not a CSS selector (e.g. `article`, `div.story-body`)",
                sanitize_line(sel)
            )
        })?;
    }
    let source = classify(&args.url)?;
    let web = matches!(source, Source::Http(_));
    let url = match source {
        Source::File(path) => std::fs::canonicalize(&path)
            .unwrap_or(path)
            .display()
            .to_string(),
        Source::Http(url) => url.to_string(),
        Source::Demo(_) => args.url.trim().to_string(),
    };
    // With `[sync]` set, a web feed is subscribed on the server (which fetches it), unless
    // `--local` keeps it here.
    if web
        && !args.local
        && let Some(account) = crate::sync::Account::from_settings(&ctx.config.sync)?
    {
        return super::sync::add_on_server(ctx, &account, &url, args.tags.first()).await;
    }
    let mut store = ctx.open_store()?;
    store.set_rules(ctx.config.rules.clone());
    if let Some(existing) = store.find_feed(&url)? {
        anyhow::bail!(
            "already subscribed to {} (id {})",
            sanitize_line(&existing.title),
            existing.id
        );
    }
    let fetcher = Fetcher::new(ctx.config.fetch_config())?;
    let now = unix_now();
    // A [[feed]] table for this address (or these tags) adds its headers and credentials to
    // the first download; feed links found on a page are fetched without them.
    let (extras, problems) = crate::refresh::plan::extras_for(&ctx.config.feeds, &url, &args.tags);
    for p in &problems {
        super::output::stderr().line(format_args!("warning: {p}"))?;
    }
    let found = discover(&fetcher, &url, now, &extras).await?;
    if found.url != url && store.find_feed(&found.url)?.is_some() {
        anyhow::bail!(
            "already subscribed to {}",
            sanitize_line(&display_url(&found.url))
        );
    }
    let mode = args
        .full_text
        .as_deref()
        .map(|m| {
            FullTextMode::from_name(m)
                .ok_or_else(|| anyhow::anyhow!("--full-text {m}: expected auto, always or never"))
        })
        .transpose()?;
    let id = store.add_feed(&found.url, args.title.as_deref(), &args.tags)?;
    if let Some(mode) = mode {
        store.set_full_text_mode(id, mode)?;
    }
    if let Some(sel) = &args.full_text_selector {
        store.set_full_text_selector(id, Some(sel))?;
    }
    let count = found.parsed.items.len();
    let mut digests = crate::digests::digest_parsed(&found.parsed);
    let settings = ctx.config.feeds.effective(&found.url, &args.tags).settings;
    if settings.dedup == Some(false) {
        // Its items join no story.
        for story in &mut digests.stories {
            *story = crate::digests::failed_story();
        }
    }
    let update = FeedUpdate {
        fetched_at: now,
        title: found.parsed.title,
        site_link: found.parsed.site_link,
        new_url: None,
        etag: found.etag,
        last_modified: found.last_modified,
        items: found.parsed.items,
        stories: digests.stories,
    };
    store.store_feed_update_with(id, &update, Some(&digests.fingerprints))?;
    while store.index_pending(2_000)? > 0 {}
    // The articles come with the next fetch (it fetches the pages waiting in the queue).
    let (wanted, _) = super::feeds::full_text_decision(ctx, &store, id)?;
    if wanted {
        store.queue_pages(id, None)?;
    }
    let feed = store.feed(id)?;
    super::output::stdout().line(format_args!(
        "Subscribed to {} [id {}]: {count} items from {}",
        sanitize_line(&feed.title),
        feed.id,
        sanitize_line(&display_url(&feed.url))
    ))?;
    if settings.auto_download == Some(true) {
        let queued =
            store.queue_new_episodes(&[id], now, crate::refresh::AUTO_DOWNLOADS_PER_RUN)?;
        super::output::stdout().line(format_args!(
            "{queued} episodes queued for download (`tidings download` fetches them)"
        ))?;
    }
    if settings.images_offline == Some(true) {
        let fetch = ctx.config.fetch_config();
        let fetcher = Fetcher::new(crate::fetch::FetchConfig {
            max_body: fetch.max_body.min(crate::refresh::images::MAX_IMAGE_BYTES),
            ..fetch
        })?;
        let files = std::sync::Arc::new(ctx.config.images.files(&ctx.paths.cache));
        drop(store);
        let kept = crate::refresh::images::fetch_ahead(
            &ctx.paths.cache,
            &[feed],
            now,
            std::sync::Arc::new(fetcher),
            files,
        )
        .await?;
        super::output::stdout().line(format_args!("{kept} images kept for offline reading"))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Downloads `url`; if it is a web page, follows its `<link rel="alternate">` feed links, which
/// must lead to the public web or back to the page's own host.
async fn discover(
    fetcher: &Fetcher,
    url: &str,
    now: i64,
    extras: &RequestExtras,
) -> anyhow::Result<Found> {
    let (body, content_type, etag, last_modified, final_url, permanent) =
        download(fetcher, url, Access::Own(extras)).await?;
    let stored_url = permanent.unwrap_or_else(|| url.to_string());
    let max_items = fetcher.config().max_items_per_download;
    if !feed::looks_like_html(&body) {
        let parsed = feed::parse_capped(&body, content_type.as_deref(), &final_url, now, max_items)
            .map_err(|e| anyhow::anyhow!("{}: {e}", sanitize_line(&display_url(url))))?;
        return Ok(Found {
            url: stored_url,
            parsed,
            etag,
            last_modified,
        });
    }
    let html = String::from_utf8_lossy(&body);
    let links = feed::find_feed_links(&html, &final_url);
    if links.is_empty() {
        anyhow::bail!(
            "{}: not a feed (an HTML page with no feed link)",
            sanitize_line(&display_url(url))
        );
    }
    let policy = LinkPolicy::from_page(url);
    let mut last_error = None;
    for link in links {
        match download(fetcher, &link, Access::Link(&policy)).await {
            Ok((body, ct, etag, lm, final_link, permanent)) => {
                match feed::parse_capped(&body, ct.as_deref(), &final_link, now, max_items) {
                    Ok(parsed) => {
                        return Ok(Found {
                            url: stored_form(&permanent.unwrap_or(link)),
                            parsed,
                            etag,
                            last_modified: lm,
                        });
                    }
                    Err(e) => {
                        last_error = Some(format!("{}: {e}", sanitize_line(&display_url(&link))))
                    }
                }
            }
            Err(e) => last_error = Some(e.to_string()),
        }
    }
    Err(anyhow::anyhow!(
        "{}: the page links to feeds, but none could be read ({})",
        sanitize_line(&display_url(url)),
        last_error.unwrap_or_default()
    ))
}

type Download = (
    Vec<u8>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<String>,
);

/// How a download may go: an address the user gave, with its feed's extras, or a link from
/// remote content, under a policy and with no extras.
enum Access<'a> {
    Own(&'a RequestExtras),
    Link(&'a LinkPolicy),
}

/// One unconditional download; a failure becomes an error naming the address, its password
/// masked.
async fn download(fetcher: &Fetcher, url: &str, access: Access<'_>) -> anyhow::Result<Download> {
    let req = FetchRequest {
        url: url.to_string(),
        etag: None,
        last_modified: None,
    };
    let outcome = match access {
        Access::Link(policy) => fetcher.fetch_link(&req, policy).await,
        Access::Own(extras) => fetcher.fetch_held_with(&req, extras).await.0,
    };
    let shown = display_url(url);
    match outcome {
        FetchOutcome::Fetched {
            body,
            content_type,
            etag,
            last_modified,
            final_url,
            permanent_url,
            ..
        } => Ok((
            body,
            content_type,
            etag,
            last_modified,
            final_url,
            permanent_url,
        )),
        FetchOutcome::NotModified => {
            anyhow::bail!("{}: unexpected 304 Not Modified", sanitize_line(&shown))
        }
        // A local file's error names its path already.
        FetchOutcome::Failed {
            error:
                error @ (FetchError::FileNotFound(_) | FetchError::Io(..) | FetchError::Local(..)),
            ..
        } => anyhow::bail!("{error}"),
        FetchOutcome::Failed { error, .. } => anyhow::bail!("{}: {error}", sanitize_line(&shown)),
    }
}
