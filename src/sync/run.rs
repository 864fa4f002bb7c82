//! One sync: send the queue, bring the subscriptions, then page through the items, each page
//! stored with the cursor that follows it.
//!
//! Cursors, per account (see `store/sync.rs`): `since` (the server time from which the next sync
//! asks for changes; absent before the first sync completed), `run_start` (the server time the
//! unfinished run began), `pass` and `token` (where that run is). A first sync makes three passes
//! (unread, starred, read items of the last `days`), later ones one (new or changed since
//! `since`).

use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use super::entries::{synced_feed, synced_item};
use super::server::{Pass, Server};
use super::{SyncError, SyncErrorKind};
use crate::model::FeedId;
use crate::store::{Store, SyncedItem};

/// Seconds of slack under the run's start time when it becomes `since`: a change in the same
/// second as the start is asked for again rather than missed.
const SINCE_SLACK: i64 = 1;

/// Progress, after each stored page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncProgress {
    /// Pages stored so far.
    pub pages: usize,
    /// Items received so far.
    pub items: usize,
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncReport {
    /// The server (kind and address).
    pub server: String,
    /// Whether this was (or finished) the account's first sync.
    pub first: bool,
    /// Whether it resumed a sync stopped half-way.
    pub resumed: bool,
    /// Local changes sent.
    pub pushed: usize,
    /// Renames and tag edits of the server's feeds sent.
    pub feeds_edited: usize,
    /// Renames and tag edits the server refused (HTTP 400 to 499 but 401 and 403), one line
    /// each: dropped from the queue, so that one edit the server will never take does not stop
    /// every sync; the feed keeps the local title.
    pub edits_refused: Vec<String>,
    /// Subscriptions on the server.
    pub feeds: usize,
    /// Server feeds whose last fetch on the server failed.
    pub feed_errors: usize,
    /// Items received.
    pub items: usize,
    /// Items new to the cache.
    pub new_items: usize,
    /// The new items, by local feed (for their article pages; not in the JSON summary).
    #[serde(skip)]
    pub new_ids: std::collections::HashMap<FeedId, Vec<crate::model::ItemId>>,
    /// Items whose read or starred state the server changed.
    pub state_changes: usize,
    /// Pages received.
    pub pages: usize,
    /// Steps after storing that failed (digests, search index), one line each.
    pub cache_errors: Vec<String>,
    /// Seconds from the start until every page was stored (items readable).
    pub stored_secs: f64,
    /// Seconds from the start until the items were digested for deduplication.
    pub digested_secs: f64,
    /// Seconds the sync took (search index built).
    pub elapsed_secs: f64,
}

/// Syncs the cache at `store_path` with `server` for `account` (its key), bringing `days` of
/// read history on a first sync and applying the arrival `rules` to new items. A failure is
/// counted for the backoff of automatic syncs (see `backoff.rs`), a success ends it.
pub async fn run<S: Server>(
    server: &S,
    account: &str,
    store_path: &Path,
    days: u32,
    rules: &[crate::store::Rule],
    progress: impl Fn(SyncProgress),
) -> Result<SyncReport, SyncError> {
    let done = run_once(server, account, store_path, days, rules, progress).await;
    // Best effort: a cache that cannot take the count does not change what the sync did.
    if let Ok(store) = Store::open(store_path) {
        let recorded = match &done {
            Ok(_) => super::backoff::record_success(&store, account),
            Err(_) => super::backoff::record_failure(&store, account, crate::refresh::unix_now()),
        };
        if let Err(e) = recorded {
            tracing::warn!("cannot record the sync's outcome for its backoff: {e}");
        }
    }
    done
}

/// One sync, as [`run`] describes it, without the backoff's bookkeeping.
async fn run_once<S: Server>(
    server: &S,
    account: &str,
    store_path: &Path,
    days: u32,
    rules: &[crate::store::Rule],
    progress: impl Fn(SyncProgress),
) -> Result<SyncReport, SyncError> {
    let started = Instant::now();
    let store_err = |e: crate::store::StoreError| SyncError {
        server: server.describe(),
        kind: SyncErrorKind::Store(e),
    };
    let mut store = Store::open(store_path).map_err(store_err)?;
    store.set_rules(rules.to_vec());
    let mut report = SyncReport {
        server: server.describe(),
        ..SyncReport::default()
    };
    server.check().await?;

    // Local changes first: they win.
    let queued = store.queued_changes(account).map_err(store_err)?;
    for (change, ids) in &queued.by_change {
        server.push(*change, ids).await?;
    }
    if !queued.is_empty() {
        store
            .drop_queued(account, queued.up_to)
            .map_err(store_err)?;
    }
    report.pushed = queued.len();
    // Renames and tag edits of the server's feeds, before its list would undo them here.
    (report.feeds_edited, report.edits_refused) =
        push_feed_edits(server, account, &mut store).await?;

    let remote = server.feeds().await?;
    let now = crate::refresh::unix_now();
    let feeds: Vec<_> = remote.into_iter().filter_map(synced_feed).collect();
    report.feeds = feeds.len();
    report.feed_errors = feeds.iter().filter(|f| f.error.is_some()).count();
    let by_remote = store
        .apply_synced_feeds(account, &feeds, now)
        .map_err(store_err)?;

    let cursor = |store: &Store, name: &str| -> Result<Option<i64>, SyncError> {
        Ok(store
            .sync_cursor(account, name)
            .map_err(store_err)?
            .and_then(|v| v.parse().ok()))
    };
    let since = cursor(&store, "since")?;
    let run_start = match cursor(&store, "run_start")? {
        Some(t) => {
            report.resumed = true;
            t
        }
        None => {
            let t = server.now();
            store
                .set_sync_cursors(account, &[("run_start", Some(&t.to_string()))])
                .map_err(store_err)?;
            t
        }
    };
    report.first = since.is_none();
    let passes = match since {
        None => vec![
            Pass::Unread,
            Pass::Starred,
            Pass::ReadSince(run_start - i64::from(days) * 86_400),
        ],
        Some(t) => vec![Pass::ChangedSince(t)],
    };
    let mut pass_index = cursor(&store, "pass")?.unwrap_or(0).max(0) as usize;
    let mut token = store.sync_cursor(account, "token").map_err(store_err)?;
    let known = store.synced_item_ids(account).map_err(store_err)?;
    while let Some(&pass) = passes.get(pass_index) {
        let page = server.page(pass, token.as_deref(), &known).await?;
        report.pages += 1;
        report.items += page.entries.len();
        let now = crate::refresh::unix_now();
        let items: Vec<(FeedId, SyncedItem)> = page
            .entries
            .into_iter()
            .filter_map(|e| {
                let feed = *by_remote.get(&e.feed_id)?;
                Some((feed, synced_item(e, now)?))
            })
            .collect();
        token = page.next;
        if token.is_none() {
            pass_index += 1;
        }
        let pass_text = pass_index.to_string();
        let stats = store
            .store_synced_page(
                account,
                &items,
                now,
                &[("pass", Some(&pass_text)), ("token", token.as_deref())],
            )
            .map_err(store_err)?;
        report.new_items += stats.new_items;
        report.state_changes += stats.state_changes;
        for (feed, item) in stats.new_ids {
            report.new_ids.entry(feed).or_default().push(item);
        }
        progress(SyncProgress {
            pages: report.pages,
            items: report.items,
        });
    }
    // A kind that cannot say which items changed state gives its whole state instead.
    if since.is_some()
        && let Some(states) = server.states().await?
    {
        report.state_changes += store
            .apply_synced_states(account, &states.unread, &states.starred)
            .map_err(store_err)?;
    }
    let since = (run_start - SINCE_SLACK).to_string();
    store
        .set_sync_cursors(
            account,
            &[
                ("since", Some(&since)),
                ("run_start", None),
                ("pass", None),
                ("token", None),
            ],
        )
        .map_err(store_err)?;

    report.stored_secs = started.elapsed().as_secs_f64();
    // Stored like fetched items, digested and indexed like them.
    let threads = crate::digests::worker_count();
    if let Err(e) =
        crate::digests::digest_pending(&mut store, threads, |s| Ok(s.index_pending(200)? > 0))
    {
        report.cache_errors.push(format!("digests: {e}"));
    }
    report.digested_secs = started.elapsed().as_secs_f64();
    let indexed = (|| -> crate::store::Result<()> {
        while store.index_pending(2_000)? > 0 {}
        Ok(())
    })();
    if let Err(e) = indexed {
        report.cache_errors.push(format!("search index: {e}"));
    }
    report.elapsed_secs = started.elapsed().as_secs_f64();
    Ok(report)
}

/// Sends the renames and tag edits of `account`'s feeds waiting in the cache, each measured
/// against the server's listing of the feed; an edit of a feed the server no longer lists is
/// dropped, and so is one the server refuses (returned as a line). Any other failure stops the
/// sync with every edit not yet sent still queued. Returns how many feeds' edits were sent, and
/// the refusals.
async fn push_feed_edits<S: Server>(
    server: &S,
    account: &str,
    store: &mut Store,
) -> Result<(usize, Vec<String>), SyncError> {
    let store_err = |e: crate::store::StoreError| SyncError {
        server: server.describe(),
        kind: SyncErrorKind::Store(e),
    };
    let edits = store.queued_feed_edits(account).map_err(store_err)?;
    if edits.is_empty() {
        return Ok((0, Vec::new()));
    }
    let listed = server.feeds().await?;
    let (mut sent, mut refused) = (0, Vec::new());
    for edit in &edits {
        let Some(feed) = listed.iter().find(|f| f.id == edit.remote_id) else {
            store.feed_edit_sent(account, edit).map_err(store_err)?;
            continue;
        };
        if edit.is_empty() {
            store.feed_edit_sent(account, edit).map_err(store_err)?;
            continue;
        }
        match server
            .edit_feed(feed, edit.title.as_deref(), edit.tags.as_deref())
            .await
        {
            Ok(()) => {
                sent += 1;
                store.feed_edit_sent(account, edit).map_err(store_err)?;
            }
            Err(SyncError {
                kind: SyncErrorKind::Status { status, what },
                ..
            }) if (400..500).contains(&status) => {
                refused.push(format!(
                    "the edit of the feed {:?} was refused (HTTP {status} to {what}); it stays here only",
                    crate::content::sanitize_line(&feed.title)
                ));
                // Dropped, the user's title kept as the user's (the server did not take it).
                let dropped = crate::store::QueuedFeedEdit {
                    title: None,
                    ..edit.clone()
                };
                store.feed_edit_sent(account, &dropped).map_err(store_err)?;
            }
            Err(e) => return Err(e),
        }
    }
    Ok((sent, refused))
}
