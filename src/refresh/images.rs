//! Article images: fetching one under the rules for article pages and keeping it in the image
//! cache (shared with the reader's image loader), and, for feeds set to `images_offline = true`,
//! fetching the images of their new items while the refresh runs, so that they show offline.

use std::sync::Arc;

use futures_util::StreamExt;

use crate::content::picture::{self, Picture};
use crate::fetch::{FetchOutcome, FetchRequest, Fetcher, LinkPolicy};
use crate::model::{FeedRow, ItemId};
use crate::store::Store;
use crate::store::image_files::ImageFiles;

/// The largest image fetched: 8 MiB.
pub const MAX_IMAGE_BYTES: u64 = 8 * 1024 * 1024;

/// The most images taken from one article.
pub const MAX_PER_ARTICLE: usize = 20;

/// New items per feed and run whose images are fetched ahead (the newest).
pub const OFFLINE_ITEMS_PER_RUN: usize = 20;

/// Images fetched at once.
const AT_ONCE: usize = 4;

/// One image: from the image cache, else fetched through `policy` (at most
/// [`MAX_IMAGE_BYTES`]: `fetcher` must be made with that cap) and kept once it decodes. Decoded
/// on the blocking pool, never on the caller's thread.
pub async fn load(
    fetcher: &Fetcher,
    policy: &LinkPolicy,
    files: &Arc<ImageFiles>,
    url: &str,
) -> Result<Picture, String> {
    let kept = {
        let (files, url) = (Arc::clone(files), url.to_string());
        tokio::task::spawn_blocking(move || files.get(&url))
            .await
            .ok()
            .flatten()
    };
    if let Some(bytes) = kept {
        return tokio::task::spawn_blocking(move || picture::decode(&bytes, None))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string());
    }
    if fetcher.config().max_body > MAX_IMAGE_BYTES {
        return Err("the image fetcher has no 8 MiB cap".into());
    }
    let req = FetchRequest {
        url: url.to_string(),
        ..FetchRequest::default()
    };
    let (body, content_type) = match fetcher.fetch_link(&req, policy).await {
        FetchOutcome::Fetched {
            body, content_type, ..
        } => (body, content_type),
        FetchOutcome::NotModified => return Err("unexpected 304 Not Modified".into()),
        FetchOutcome::Failed { error, .. } => return Err(error.to_string()),
    };
    let (files, url) = (Arc::clone(files), url.to_string());
    tokio::task::spawn_blocking(move || {
        let pic = picture::decode(&body, content_type.as_deref()).map_err(|e| e.to_string())?;
        if let Err(e) = files.put(&url, &body) {
            tracing::warn!("cannot keep an image in {}: {e}", files.dir.display());
        }
        Ok(pic)
    })
    .await
    .map_err(|e| e.to_string())?
}

/// The http(s) image addresses of an item's body (its article from the page when it has one),
/// at most [`MAX_PER_ARTICLE`].
pub fn image_urls(item: &crate::model::ItemRow) -> Vec<String> {
    let (body, kind, base) = item.shown_body(false);
    crate::content::parse(body, kind, base)
        .links
        .into_iter()
        .filter(|l| l.kind == crate::content::LinkKind::Image)
        .filter(|l| l.url.starts_with("http://") || l.url.starts_with("https://"))
        .take(MAX_PER_ARTICLE)
        .map(|l| l.url)
        .collect()
}

/// Fetches into the image cache the images of the items `feeds` got since `since` (the newest
/// [`OFFLINE_ITEMS_PER_RUN`] of each feed); returns how many are now kept.
pub async fn fetch_ahead(
    store_path: &std::path::Path,
    feeds: &[FeedRow],
    since: i64,
    fetcher: Arc<Fetcher>,
    files: Arc<ImageFiles>,
) -> anyhow::Result<usize> {
    let path = store_path.to_path_buf();
    let ids: Vec<FeedRow> = feeds.to_vec();
    let wanted: Vec<(LinkPolicy, Vec<String>)> = tokio::task::spawn_blocking(move || {
        let store = Store::open_readable(&path)?;
        let mut out = Vec::new();
        for feed in &ids {
            let items: Vec<ItemId> = store.new_item_ids(feed.id, since, OFFLINE_ITEMS_PER_RUN)?;
            let mut urls = Vec::new();
            for id in items {
                urls.extend(image_urls(&store.item(id)?));
            }
            out.push((LinkPolicy::from_page(&feed.url), urls));
        }
        anyhow::Ok(out)
    })
    .await??;
    let jobs = wanted.into_iter().flat_map(|(policy, urls)| {
        let policy = Arc::new(policy);
        urls.into_iter().map(move |u| (Arc::clone(&policy), u))
    });
    let kept = futures_util::stream::iter(jobs.map(|(policy, url)| {
        let (fetcher, files) = (Arc::clone(&fetcher), Arc::clone(&files));
        async move { load(&fetcher, &policy, &files, &url).await.is_ok() }
    }))
    .buffer_unordered(AT_ONCE)
    .filter(|ok| std::future::ready(*ok))
    .count()
    .await;
    Ok(kept)
}
