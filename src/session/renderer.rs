//! The article renderer: parses and folds the bodies of loaded articles on threads of their own,
//! so that the cache worker never waits on a body and the reader never waits on one article to
//! open another.
//!
//! The cache worker reads an item and its feed's statistics, then hands them over with
//! [`Renderer::submit`]. Two threads take the requests; a request that finds both busy waits in
//! a slot of one, where a newer request replaces it (the latest wins: an article the reader has
//! moved past is not parsed at all). The reader drops any result for an article it no longer
//! waits for.

use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;

use crate::app::msg::Msg;
use crate::app::text;
use crate::content::dedup::{DedupOptions, FeedStats};
use crate::content::fold;
use crate::model::ItemRow;

/// How many articles may be parsed at once.
const THREADS: usize = 2;

/// An item read from the cache, ready to parse.
pub struct RenderJob {
    /// The item, body included.
    pub item: ItemRow,
    /// Its feed's statistics, when boilerplate folding is on.
    pub stats: Option<FeedStats>,
    /// Parse the feed's own text even when the item has an article from its page.
    pub feed_text: bool,
    /// Whether deduplication folds its blocks (not for a feed whose `[[feed]]` table says
    /// `dedup = false`).
    pub folds: bool,
}

/// The request waiting for a free thread, and whether the renderer is closing.
#[derive(Default)]
struct Slot {
    next: Option<RenderJob>,
    closed: bool,
}

/// Parses and folds articles on [`THREADS`] threads; dropping it lets them finish and end.
pub struct Renderer {
    shared: Arc<(Mutex<Slot>, Condvar)>,
}

impl Renderer {
    /// Starts the threads; results go to `results` as [`Msg::ArticleLoaded`].
    pub fn new(results: Sender<Msg>, dedup: DedupOptions) -> Renderer {
        let shared = Arc::new((Mutex::new(Slot::default()), Condvar::new()));
        for _ in 0..THREADS {
            let shared = Arc::clone(&shared);
            let results = results.clone();
            thread::spawn(move || {
                while let Some(job) = take(&shared) {
                    if results.send(render(job, &dedup)).is_err() {
                        break;
                    }
                }
            });
        }
        Renderer { shared }
    }

    /// Asks for an article; a request still waiting for a thread is dropped for it.
    pub fn submit(&self, job: RenderJob) {
        let (slot, ready) = &*self.shared;
        if let Ok(mut slot) = slot.lock() {
            slot.next = Some(job);
            ready.notify_one();
        }
    }
}

impl Drop for Renderer {
    fn drop(&mut self) {
        let (slot, ready) = &*self.shared;
        if let Ok(mut slot) = slot.lock() {
            slot.closed = true;
            ready.notify_all();
        }
    }
}

/// Waits for the next request; `None` once the renderer is closed.
fn take(shared: &(Mutex<Slot>, Condvar)) -> Option<RenderJob> {
    let (slot, ready) = shared;
    let mut slot = slot.lock().ok()?;
    loop {
        if let Some(job) = slot.next.take() {
            return Some(job);
        }
        if slot.closed {
            return None;
        }
        slot = ready.wait(slot).ok()?;
    }
}

/// Parses an item's body and decides which of its blocks fold.
pub fn render(job: RenderJob, dedup: &DedupOptions) -> Msg {
    let RenderJob {
        item,
        stats,
        feed_text,
        folds,
    } = job;
    let (body, kind, base) = item.shown_body(feed_text);
    let doc = text::parse(body, kind, base);
    let none = DedupOptions {
        within_article: false,
        boilerplate: false,
        stories: false,
    };
    let dedup = if folds { dedup } else { &none };
    let hidden = fold::fold_item(&doc, Some(&item.title), stats.as_ref(), dedup);
    Msg::ArticleLoaded(Box::new(item), doc, hidden)
}
