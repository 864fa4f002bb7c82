//! `tidings` with no subcommand: the reader. On the very first run (no subscriptions at all) it
//! subscribes to the default feeds; subcommands never do.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;

use super::Context;
use crate::app::{Msg, RefreshCause};
use crate::config::DEFAULT_FEEDS_OPML;
use crate::model::{FeedId, ItemId};
use crate::refresh::{self, RefreshOptions, unix_now};
use crate::session::{self, Refresher, RunOptions};
use crate::store::Store;
use crate::subscriptions::parse_opml;
use crate::sync::Account;

/// Seeds the defaults if needed, then opens the reader.
pub fn run(ctx: &Context) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store_readable()?;
    // With a server to sync with, the subscriptions are the server's: no defaults.
    if store.read_only().is_none() && !ctx.config.sync.enabled() {
        seed_defaults(&store)?;
    }
    // Credentials are resolved here, before the reader takes the terminal.
    let plans = super::per_feed::plans(ctx, &store.feeds()?, false)?;
    drop(store);
    let refresher = BackgroundRefresh {
        store_path: ctx.paths.cache.clone(),
        opts: RefreshOptions {
            fetch: ctx.config.fetch_config(),
            retention: ctx.config.retention_policy(),
            pages: ctx.config.page_limits(),
            plans,
            rules: ctx.config.rules.clone(),
            images: Some(ctx.config.images.files(&ctx.paths.cache)),
        },
        busy: Arc::new(AtomicBool::new(false)),
        sync: Account::from_settings(&ctx.config.sync).map_err(|e| e.to_string()),
    };
    session::run(RunOptions {
        store_path: ctx.paths.cache.clone(),
        settings: ctx.config.reader.clone(),
        dedup: super::show::dedup_options(ctx),
        keymap: ctx
            .config
            .keymap
            .clone()
            .unwrap_or_else(crate::config::keymap::Keymap::default_keys),
        theme: ctx
            .config
            .colors
            .clone()
            .unwrap_or_else(crate::config::theme::Theme::from_env),
        refresher: Some(Box::new(refresher)),
        queries: ctx.config.queries.clone(),
        external: external(ctx),
        feed_rules: ctx.config.feeds.clone(),
        downloads: Some(session::downloads::Downloads {
            store_path: ctx.paths.cache.clone(),
            folder: crate::podcasts::Folder {
                dir: ctx.config.podcasts.folder(&ctx.paths.cache),
                max_bytes: ctx.config.podcasts.max_bytes(),
            },
            fetch: ctx.config.fetch_config(),
        }),
        images: Some((
            ctx.config.fetch_config(),
            ctx.config.images.files(&ctx.paths.cache),
        )),
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The settings of the programs the reader runs for the user, from the config.
pub fn external(ctx: &Context) -> crate::config::commands::External {
    crate::config::commands::External {
        open: ctx.config.open.clone(),
        notify: ctx.config.notify.clone(),
        save_dir: ctx.config.save.folder(&ctx.paths.cache),
    }
}

/// Subscribes to `config/feeds.opml` when there are no subscriptions at all. Returns how many were added.
pub fn seed_defaults(store: &Store) -> anyhow::Result<usize> {
    if store.feed_count()? > 0 {
        return Ok(0);
    }
    let parsed = parse_opml(DEFAULT_FEEDS_OPML).map_err(anyhow::Error::msg)?;
    for e in &parsed.entries {
        store.add_feed(&e.url, e.title.as_deref(), &e.tags)?;
    }
    Ok(parsed.entries.len())
}

/// Runs [`refresh::run`] on its own thread and runtime, at a lower priority than the interface
/// (see [`session::priority`]), reporting to the reader's message queue. One refresh at a time:
/// a request while one runs is ignored.
struct BackgroundRefresh {
    store_path: PathBuf,
    opts: RefreshOptions,
    busy: Arc<AtomicBool>,
    /// The server the refresh syncs with first (`[sync]`), or why `[sync]` is unusable.
    sync: Result<Option<Account>, String>,
}

impl Refresher for BackgroundRefresh {
    fn start(&mut self, feed: Option<FeedId>, cause: RefreshCause, tx: Sender<Msg>) {
        if self.busy.swap(true, Ordering::SeqCst) {
            return;
        }
        let (path, opts, busy, sync) = (
            self.store_path.clone(),
            self.opts.clone(),
            Arc::clone(&self.busy),
            self.sync.clone(),
        );
        let report_to = tx.clone();
        let spawned = std::thread::Builder::new()
            .name("refresh".into())
            .spawn(move || {
                // Every thread the refresh starts inherits this one's lower priority.
                session::priority::lower_this_thread();
                let watermark = Store::open_readable(&path).and_then(|s| s.item_watermark());
                let done = refresh_blocking(&path, feed, cause, &opts, &sync, &tx);
                if let (Ok(mark), Ok(_)) = (&watermark, &done) {
                    match Store::open_readable(&path).and_then(|s| s.new_stories_since(*mark)) {
                        Ok(news) if news.count > 0 => {
                            let _ = tx.send(Msg::NewStories {
                                count: news.count,
                                feeds: news.feeds,
                            });
                        }
                        Ok(_) => {}
                        Err(e) => tracing::warn!("cannot count the new stories: {e}"),
                    }
                }
                let msg = match done {
                    Ok(report) => Msg::RefreshDone {
                        at: unix_now(),
                        new_items: report.new_items,
                        failed: report
                            .failed
                            .into_iter()
                            .chain(report.not_stored)
                            .map(|f| (f.title, f.error))
                            .chain(report.cache_errors.into_iter().map(|e| ("cache".into(), e)))
                            .collect(),
                    },
                    Err(e) => {
                        let message = crate::fetch::redact(&format!("{e:#}"));
                        tracing::error!("refresh failed: {message}");
                        Msg::RefreshDone {
                            at: unix_now(),
                            new_items: 0,
                            failed: vec![("refresh".to_string(), message)],
                        }
                    }
                };
                busy.store(false, Ordering::SeqCst);
                let _ = tx.send(msg);
            });
        if let Err(e) = spawned {
            self.busy.store(false, Ordering::SeqCst);
            let _ = report_to.send(Msg::RefreshDone {
                at: unix_now(),
                new_items: 0,
                failed: vec![("refresh".to_string(), format!("cannot start: {e}"))],
            });
        }
    }

    fn fetch_page(&mut self, item: ItemId, tx: Sender<Msg>) {
        let (path, fetch) = (self.store_path.clone(), self.opts.fetch.clone());
        let plans = Arc::clone(&self.opts.plans);
        std::thread::spawn(move || {
            let done = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(anyhow::Error::from)
                .and_then(|rt| rt.block_on(refresh::fetch_item_page(&path, item, fetch, &plans)));
            let outcome = done.unwrap_or_else(|e| {
                let message = crate::fetch::redact(&format!("{e:#}"));
                tracing::warn!(item, "article fetch failed: {message}");
                format!("Cannot fetch the article: {message}")
            });
            let _ = tx.send(Msg::PageFetched { item, outcome });
        });
    }
}

/// One refresh: a sync with the server first when `[sync]` is set (its failure is one more line
/// of the report, and so is an automatic one held back by the backoff of failed syncs), then a
/// fetch of the other feeds.
fn refresh_blocking(
    path: &std::path::Path,
    feed: Option<FeedId>,
    cause: RefreshCause,
    opts: &RefreshOptions,
    sync: &Result<Option<Account>, String>,
    tx: &Sender<Msg>,
) -> anyhow::Result<refresh::Report> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut sync_failure = None;
    let mut synced_items = 0;
    let mut new_items = Default::default();
    let mut refused = Vec::new();
    // A refresh nobody asked for waits while the backoff of failed syncs lasts.
    let waiting = match (sync, cause) {
        (Ok(Some(account)), RefreshCause::Automatic) => {
            crate::sync::backoff::automatic_sync_waits(path, &account.key())
        }
        _ => None,
    };
    match (sync, waiting) {
        (Ok(None), _) => {}
        (Err(e), _) => sync_failure = Some(("sync".to_string(), e.clone())),
        (Ok(Some(account)), Some(waiting)) => {
            let message = waiting.message("a refresh asked for tries now");
            sync_failure = Some((account.describe(), format!("sync: {message}")));
        }
        (Ok(Some(account)), None) => {
            let done = rt.block_on(async {
                let server = account.connect(opts.fetch.request_timeout)?;
                crate::sync::run(
                    &server,
                    &account.key(),
                    path,
                    account.days,
                    &opts.rules,
                    |_| {},
                )
                .await
            });
            match done {
                Ok(report) => {
                    synced_items = report.new_items;
                    new_items = report.new_ids;
                    refused = report.edits_refused;
                }
                Err(e) => sync_failure = Some((account.describe(), e.kind.to_string())),
            }
        }
    }
    // A refresh of every feed (at start, periodic, or asked for) skips the feeds not due by
    // their `[[feed]]` table's `min_refresh_minutes` or their own hints; one feed asked for by
    // name is always fetched.
    // The server's feeds are not downloaded (the sync brought them, and they are never "due"
    // here): only their article pages are fetched.
    let (feeds, server_feeds) = {
        let store = Store::open(path)?;
        let mut feeds = match feed {
            Some(id) => vec![store.feed(id)?],
            None => store.feeds()?,
        };
        let mut server_feeds = Vec::new();
        if matches!(sync, Ok(Some(_))) {
            let ids = store.synced_feed_ids()?;
            (server_feeds, feeds) = feeds.into_iter().partition(|f| ids.contains(&f.id));
        }
        if feed.is_none() {
            let hints = store.refresh_hints()?;
            let now = unix_now();
            feeds.retain(|f| opts.plans.is_due(f, hints.get(&f.id).copied(), now));
        }
        (feeds, server_feeds)
    };
    let server_feeds = refresh::SyncedFeeds {
        feeds: server_feeds,
        new_items,
    };
    let _ = tx.send(Msg::RefreshStarted { total: feeds.len() });
    let progress_tx = tx.clone();
    let mut report = rt.block_on(refresh::run_with_synced(
        path,
        feeds,
        server_feeds,
        opts,
        move |p| {
            let _ = progress_tx.send(Msg::RefreshProgress {
                done: p.done,
                total: p.total,
                failed: p.failed,
            });
        },
    ))?;
    report.new_items += synced_items;
    if let Ok(Some(account)) = sync {
        // Edits of the server's feeds it refused show in the error list too.
        for error in refused {
            report.failed.insert(
                0,
                refresh::Failure {
                    id: 0,
                    url: account.describe(),
                    title: account.describe(),
                    error,
                },
            );
        }
    }
    if let Some((server, error)) = sync_failure {
        // The reader's error list names the server as it names a failing feed.
        report.failed.insert(
            0,
            refresh::Failure {
                id: 0,
                url: server.clone(),
                title: server,
                error,
            },
        );
    }
    Ok(report)
}
