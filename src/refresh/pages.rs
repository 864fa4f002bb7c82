//! Article pages for summary-only feeds, fetched while the refresh goes on.
//!
//! The writer, once it has stored a feed, hands over the feed's due pages (see
//! [`crate::store::Store::due_pages`]); [`run`] fetches them under the feed fetcher's rules and
//! limits (the same [`Fetcher`], so http(s) only, the size cap, timeouts, redirects, the global
//! and per-host slots, no cookies) with a [`LinkPolicy`] that trusts only the feed's own host, at
//! most [`PageLimits::per_host`] pages downloading at once per host besides; extracts the article
//! on the blocking pool (one page per core at once, the host's slot already free for its next
//! page); and sends each outcome back to the writer as a [`Job::Page`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::{Semaphore, mpsc};
use url::Url;

use super::Job;
use crate::content::extract::extract;
use crate::content::fulltext::{Kept, PageLimits, decode_page, is_html, judge};
use crate::fetch::{FetchOutcome, FetchRequest, Fetcher, LinkPolicy};
use crate::model::ItemId;
use crate::store::{NewArticle, PageJob, ParsedBody};

/// A feed's pages to fetch, as the writer hands them over.
#[derive(Debug)]
pub(super) struct PageBatch {
    /// The feed's address: links back to its host are trusted as the feed was.
    pub(super) feed_url: String,
    /// The feed's CSS selector for the article, used instead of the heuristics when set.
    pub(super) selector: Option<Arc<str>>,
    /// The pages, newest item first.
    pub(super) jobs: Vec<PageJob>,
}

/// What became of one page.
#[derive(Debug)]
pub(super) enum PageOutcome {
    /// An article to show instead of the teaser.
    Article(NewArticle),
    /// The page was fetched; the teaser stays, for this reason.
    Kept(Kept),
    /// The page could not be fetched (tried again later).
    Failed(String),
}

/// Fetches every page the writer sends until it stops sending, each outcome back as a
/// [`Job::Page`]. Ends when every page is done; the caller bounds the wait.
pub(super) async fn run(
    mut requests: mpsc::UnboundedReceiver<PageBatch>,
    fetcher: Arc<Fetcher>,
    limits: PageLimits,
    results: mpsc::Sender<Job>,
) {
    let hosts: Arc<Mutex<HashMap<String, Arc<Semaphore>>>> = Arc::default();
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let extractors = Arc::new(Semaphore::new(cores));
    let mut tasks = tokio::task::JoinSet::new();
    while let Some(batch) = requests.recv().await {
        let policy = Arc::new(LinkPolicy::from_page(&batch.feed_url));
        for job in batch.jobs {
            let fetcher = Arc::clone(&fetcher);
            let policy = Arc::clone(&policy);
            let selector = batch.selector.clone();
            let results = results.clone();
            let host = host_slots(&hosts, &job.url, limits.per_host);
            let extractors = Arc::clone(&extractors);
            tasks.spawn(async move {
                let item = job.item;
                let outcome = match host {
                    Some(host) => {
                        let slot = host.acquire_owned().await;
                        match download(&fetcher, &policy, &job).await {
                            Ok(page) => {
                                // The host's slot counts downloads: it is freed once the article
                                // can be extracted, and the host's next page downloads
                                // meanwhile. Waiting for an extractor with the slot held keeps
                                // the pages downloaded and not yet extracted to a few.
                                let _extractor = extractors.acquire().await;
                                drop(slot);
                                extract_page(page, &job, selector.as_deref()).await
                            }
                            Err(outcome) => outcome,
                        }
                    }
                    None => PageOutcome::Failed("not a web address".to_string()),
                };
                let _ = results.send(Job::Page { item, outcome }).await;
            });
        }
        // Reap what is done, so a long run does not keep every finished task.
        while tasks.try_join_next().is_some() {}
    }
    while tasks.join_next().await.is_some() {}
}

/// The semaphore that keeps a host to `per_host` pages at once, or `None` for an address
/// without a host.
fn host_slots(
    hosts: &Mutex<HashMap<String, Arc<Semaphore>>>,
    url: &str,
    per_host: usize,
) -> Option<Arc<Semaphore>> {
    let host = Url::parse(url).ok()?.host_str()?.to_ascii_lowercase();
    let mut hosts = hosts.lock().unwrap_or_else(|p| p.into_inner());
    Some(Arc::clone(hosts.entry(host).or_insert_with(|| {
        Arc::new(Semaphore::new(per_host.max(1)))
    })))
}

/// What fetching the article of an item says when its feed's full-text mode is `never`.
const NEVER_FETCHED: &str =
    "This feed is set to never fetch articles (full text: never); its text stays";

/// Fetches one item's page now, whatever its place in the queue (the reader's `f` and `F`),
/// records the outcome in the cache at `store_path` (indexing and digesting an article) and
/// returns one line saying what happened. A feed set to `never` has no page fetched.
pub async fn fetch_item_page(
    store_path: &std::path::Path,
    item: ItemId,
    fetch: crate::fetch::FetchConfig,
    plans: &super::FeedPlans,
) -> anyhow::Result<String> {
    let (job, feed_url, selector) = {
        let store = crate::store::Store::open(store_path)?;
        let row = store.item(item)?;
        let feed = store.feed(row.feed_id)?;
        // A [[feed]] table's mode and selector win over the cache's.
        let settings = plans.settings(&feed);
        let mode = match settings.full_text {
            Some(mode) => mode,
            None => store.full_text_mode(row.feed_id)?,
        };
        if mode == crate::content::fulltext::FullTextMode::Never {
            // The user's word for this feed stands: no page of its is fetched, not even on asking.
            return Ok(NEVER_FETCHED.to_string());
        }
        let Some(url) = row.link.clone().filter(|l| !l.is_empty()) else {
            anyhow::bail!("this item links to no page");
        };
        store.requeue_page(item)?;
        let teaser_words = match row.content_kind {
            crate::model::BodyKind::Html => crate::content::strip::strip_html(&row.content)
                .split_whitespace()
                .count(),
            crate::model::BodyKind::Text => row.content.split_whitespace().count(),
        };
        let job = PageJob {
            item,
            feed: row.feed_id,
            url,
            teaser_words,
        };
        let selector = match settings.full_text_selector {
            Some(s) => Some(s),
            None => store.full_text_selector(row.feed_id)?,
        };
        (job, feed.url, selector)
    };
    let fetcher = Fetcher::new(fetch)?;
    let policy = LinkPolicy::from_page(&feed_url);
    let outcome = fetch_page(&fetcher, &policy, &job, selector.as_deref()).await;
    let path = store_path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let mut store = crate::store::Store::open(&path)?;
        let now = super::unix_now();
        let line = match outcome {
            PageOutcome::Article(mut a) => {
                let words = a.words;
                let parsed = a.parsed.take();
                let stored = store.store_article(item, &a, now)?;
                // The digest pass digests and indexes the article from the extraction's own
                // parse; the index then takes whatever else waits.
                let threads = crate::digests::worker_count();
                let mut pass = crate::digests::DigestPass::start(
                    &mut store,
                    threads,
                    std::collections::HashSet::new(),
                )?;
                if let (true, Some(parsed)) = (stored, parsed) {
                    pass.provide(item, parsed);
                }
                pass.finish(&mut store, |_| Ok(false))?;
                while store.index_pending(200)? > 0 {}
                format!("Article fetched from its page ({words} words)")
            }
            PageOutcome::Kept(why) => {
                store.keep_teaser(item, &why.to_string())?;
                format!("The feed's text stays: {why}")
            }
            PageOutcome::Failed(e) => {
                let e = crate::fetch::redact(&e);
                store.page_failed(item, &e, now)?;
                format!("Cannot fetch the article: {e}")
            }
        };
        anyhow::Ok(line)
    })
    .await?
}

/// Downloads one page and extracts its article (from the elements `selector` names, when given).
async fn fetch_page(
    fetcher: &Fetcher,
    policy: &LinkPolicy,
    job: &PageJob,
    selector: Option<&str>,
) -> PageOutcome {
    match download(fetcher, policy, job).await {
        Ok(page) => extract_page(page, job, selector).await,
        Err(outcome) => outcome,
    }
}

/// A page downloaded, its article not yet extracted.
struct Downloaded {
    body: Vec<u8>,
    content_type: Option<String>,
    final_url: String,
}

/// Downloads one item's page; a failure is the page's outcome.
async fn download(
    fetcher: &Fetcher,
    policy: &LinkPolicy,
    job: &PageJob,
) -> Result<Downloaded, PageOutcome> {
    let req = FetchRequest {
        url: job.url.clone(),
        ..FetchRequest::default()
    };
    match fetcher.fetch_link(&req, policy).await {
        FetchOutcome::Fetched {
            body,
            content_type,
            final_url,
            ..
        } => Ok(Downloaded {
            body,
            content_type,
            final_url,
        }),
        FetchOutcome::NotModified => Err(PageOutcome::Failed("unexpected 304 Not Modified".into())),
        FetchOutcome::Failed { error, .. } => Err(PageOutcome::Failed(error.to_string())),
    }
}

/// Extracts the article of a downloaded page on the blocking pool (see [`read_page`]).
async fn extract_page(page: Downloaded, job: &PageJob, selector: Option<&str>) -> PageOutcome {
    let teaser_words = job.teaser_words;
    let item = job.item;
    let selector = selector.map(str::to_string);
    tokio::task::spawn_blocking(move || {
        read_page(
            item,
            &page.body,
            page.content_type.as_deref(),
            page.final_url,
            teaser_words,
            selector.as_deref(),
        )
    })
    .await
    .unwrap_or_else(|e| PageOutcome::Failed(format!("extraction crashed: {e}")))
}

/// A downloaded page to its outcome: not HTML, no article, an article shorter than the teaser or
/// a wall keep the teaser.
pub(super) fn read_page(
    item: ItemId,
    body: &[u8],
    content_type: Option<&str>,
    final_url: String,
    teaser_words: usize,
    selector: Option<&str>,
) -> PageOutcome {
    if !is_html(content_type, body) {
        let kind = content_type.unwrap_or("unknown type").to_string();
        return PageOutcome::Kept(Kept::NotHtml(
            crate::content::sanitize_line(&kind).into_owned(),
        ));
    }
    let text = decode_page(body, content_type);
    let base = Url::parse(&final_url).ok();
    let extracted = crate::feed::catch_quietly(|| extract(&text, base.as_ref(), selector));
    let article = match extracted {
        Some(Ok(article)) => article,
        Some(Err(_)) => return PageOutcome::Kept(Kept::NoArticle),
        None => {
            tracing::error!(item, "extraction panicked");
            return PageOutcome::Kept(Kept::NoArticle);
        }
    };
    if let Err(kept) = judge(&article, teaser_words) {
        return PageOutcome::Kept(kept);
    }
    PageOutcome::Article(NewArticle {
        url: final_url,
        html: article.html,
        words: article.words,
        title: article.title.filter(|t| !t.trim().is_empty()),
        author: article.author,
        published: article.published.map(|t| t.timestamp()),
        // The digest's pieces and search text, from the blocks the extraction's walk built: the
        // article's HTML need not be parsed again to digest and index it.
        parsed: Some(ParsedBody::of(&article.doc)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::fold::block_texts;

    #[test]
    fn an_article_carries_the_pieces_its_stored_html_digests_to() {
        let page = "<!doctype html><html><head><title>Quay works</title></head><body>\
                    <nav><a href='/'>Home</a></nav><article><h1>Quay works</h1>\
                    <p>The quay reopened on Monday after <a href='/repairs'>repairs</a> that took \
                    the whole winter, the harbour master said.</p><h2>What changed</h2>\
                    <ul><li>New bollards</li><li>A wider slipway</li></ul></article></body></html>";
        let url = "https://news.example/quay.html".to_string();
        let PageOutcome::Article(a) =
            read_page(7, page.as_bytes(), Some("text/html"), url.clone(), 3, None)
        else {
            panic!("no article");
        };
        // What the digest pass gets by parsing the stored HTML, it gets here without parsing.
        let parsed = crate::content::parse(&a.html, crate::model::BodyKind::Html, Some(&url));
        let carried = a.parsed.expect("pieces carried");
        assert_eq!(carried, ParsedBody::of(&parsed));
        assert!(carried.search_text.contains("after repairs that took"));
        let pieces = carried.pieces;
        assert_eq!(pieces, block_texts(&parsed));
        assert!(
            pieces.iter().any(|(t, _)| t == "What changed"),
            "{pieces:?}"
        );
        assert!(
            !pieces.iter().any(|(t, _)| t.contains("Home")),
            "{pieces:?}"
        );
    }
}
