//! The image loader: fetches the images of the open article (or reads them from the image
//! cache), decodes them on a thread of its own, never the drawing one, and sends each that
//! decodes to the reader as [`Msg::ImageLoaded`].
//!
//! Images are fetched under the rules for article pages: http(s) only, through a [`LinkPolicy`]
//! that trusts only the feed's own host (anything else must be on the public internet), the
//! fetcher's timeouts and per-host slots, and a cap of [`MAX_IMAGE_BYTES`] (see
//! [`crate::refresh::images`]). An SVG is refused by
//! its declared type and by its content; a decompression bomb by its dimensions (see
//! [`crate::content::picture`]). A request for a newer article drops what is left of the older.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;

use futures_util::StreamExt;

use crate::app::msg::Msg;
use crate::fetch::{FetchConfig, Fetcher, LinkPolicy};
use crate::model::ItemId;
use crate::refresh::images::{MAX_IMAGE_BYTES, load};
use crate::store::image_files::ImageFiles;

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
        .thread_name("images")
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
                match load(&fetcher, &policy, &files, &url).await {
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
