//! The image loader: fetches the images of the open article (or reads them from the image
//! cache), decodes them on a thread of its own, never the drawing one, and sends each that
//! decodes to the reader as [`Msg::ImageLoaded`].
//!
//! Images are fetched under the rules for article pages: http(s) only, through a [`LinkPolicy`]
//! that trusts only the feed's own host (anything else must be on the public internet), the
//! fetcher's timeouts and per-host slots, and a cap of [`MAX_IMAGE_BYTES`]. An SVG is refused by
//! its declared type and by its content; a decompression bomb by its dimensions (see
//! [`crate::content::picture`]). A request for a newer article drops what is left of the older.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use futures_util::StreamExt;

use crate::app::msg::Msg;
use crate::content::picture;
use crate::fetch::{FetchConfig, FetchOutcome, FetchRequest, Fetcher, LinkPolicy};
use crate::model::ItemId;
use crate::store::image_files::ImageFiles;

/// The largest image fetched: 8 MiB.
pub const MAX_IMAGE_BYTES: u64 = 8 * 1024 * 1024;

/// Images of one article fetched at once.
const AT_ONCE: usize = 4;

/// One article's images to load.
struct Request {
    item: ItemId,
    feed_url: String,
    urls: Vec<String>,
}

/// The loader's handle; dropping it ends its thread once the work in hand is done.
pub struct ImageLoader {
    requests: Sender<Request>,
    latest: Arc<AtomicU64>,
}

impl ImageLoader {
    /// Starts the loader thread; results go to `results`.
    pub fn start(fetch: FetchConfig, files: ImageFiles, results: Sender<Msg>) -> ImageLoader {
        let (requests, rx) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let seen = Arc::clone(&latest);
        let fetch = FetchConfig {
            max_body: fetch.max_body.min(MAX_IMAGE_BYTES),
            ..fetch
        };
        let _ = thread::Builder::new()
            .name("images".into())
            .spawn(move || serve(rx, fetch, files, results, seen));
        ImageLoader { requests, latest }
    }

    /// Asks for the images of `item`, whose feed is at `feed_url`.
    pub fn load(&self, item: ItemId, feed_url: String, urls: Vec<String>) {
        self.latest.store(item as u64, Ordering::SeqCst);
        let _ = self.requests.send(Request {
            item,
            feed_url,
            urls,
        });
    }
}

fn serve(
    rx: Receiver<Request>,
    fetch: FetchConfig,
    files: ImageFiles,
    results: Sender<Msg>,
    latest: Arc<AtomicU64>,
) {
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::warn!("image loader: no runtime: {e}");
            return;
        }
    };
    let fetcher = match Fetcher::new(fetch) {
        Ok(f) => Arc::new(f),
        Err(e) => {
            tracing::warn!("image loader: no fetcher: {e}");
            return;
        }
    };
    let files = Arc::new(files);
    while let Ok(req) = rx.recv() {
        if latest.load(Ordering::SeqCst) != req.item as u64 {
            continue;
        }
        let policy = Arc::new(LinkPolicy::from_page(&req.feed_url));
        let item = req.item;
        let jobs = req.urls.into_iter().map(|url| {
            let (fetcher, files, policy, results, latest) = (
                Arc::clone(&fetcher),
                Arc::clone(&files),
                Arc::clone(&policy),
                results.clone(),
                Arc::clone(&latest),
            );
            async move {
                if latest.load(Ordering::SeqCst) != item as u64 {
                    return;
                }
                match load_one(&fetcher, &policy, &files, &url).await {
                    Ok(picture) => {
                        let _ = results.send(Msg::ImageLoaded {
                            item,
                            url,
                            picture: Arc::new(picture),
                        });
                    }
                    Err(e) => {
                        let shown = crate::fetch::redact(&crate::fetch::display_url(&url));
                        tracing::info!("image {shown} not shown: {e}");
                    }
                }
            }
        });
        rt.block_on(
            futures_util::stream::iter(jobs)
                .buffer_unordered(AT_ONCE)
                .collect::<Vec<()>>(),
        );
    }
}

/// One image: from the image cache, else fetched (and kept when it decodes); decoded on the
/// blocking pool.
async fn load_one(
    fetcher: &Fetcher,
    policy: &LinkPolicy,
    files: &Arc<ImageFiles>,
    url: &str,
) -> Result<picture::Picture, String> {
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
