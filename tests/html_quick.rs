//! The quick HTML path on real bodies: every HTML body of the feedparser corpus, the articles
//! extracted from the extraction benchmark's pages and the duplicated reference article read the
//! same through `parse_html` (quick path where it takes the body) as through the full bounded
//! parse.

#[path = "support/shared.rs"]
mod shared;

use std::io::Read;

use tidings::content::extract::{decode_page, extract};
use tidings::content::html::{parse_html, parse_html_full, takes_quick_path};
use tidings::model::BodyKind;

/// Asserts that `html` reads the same through `parse_html` as through the full bounded parse
/// (`what` names it in a failure); whether it took the quick path.
fn reads_the_same(html: &str, base: Option<&str>, what: &dyn std::fmt::Display) -> bool {
    assert_eq!(
        parse_html(html, base),
        parse_html_full(html, base),
        "{what}: {html:?}"
    );
    takes_quick_path(html)
}

/// The extraction benchmark's pages, gunzipped, with their paths.
fn benchmark_pages(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    shared::files_under(dir)
        .into_iter()
        .map(|file| {
            let mut bytes = Vec::new();
            flate2::read::GzDecoder::new(std::fs::File::open(&file).unwrap())
                .read_to_end(&mut bytes)
                .unwrap();
            (file, bytes)
        })
        .collect()
}

#[test]
fn feedparser_bodies_read_the_same_on_the_quick_path() {
    let Some(dir) = shared::shared_path("datasets/feedparser-tests") else {
        return;
    };
    let files = shared::files_under(&dir);
    let (mut bodies, mut quick) = (0, 0);
    for file in &files {
        let Ok(bytes) = std::fs::read(file) else {
            continue;
        };
        // feed-rs panics on two of the corpus's UTF-16 files; the parser's own guard turns
        // that into an error, which is all this test needs.
        let Ok(feed) = tidings::feed::parse(&bytes, None, "https://example.com/feed", 0) else {
            continue;
        };
        for item in feed.items {
            if item.content_kind != BodyKind::Html || item.content.is_empty() {
                continue;
            }
            bodies += 1;
            quick += usize::from(reads_the_same(
                &item.content,
                item.base.as_deref(),
                &file.display(),
            ));
        }
    }
    eprintln!("{bodies} HTML bodies, {quick} on the quick path");
    assert!(bodies > 400, "only {bodies} HTML bodies found");
    assert!(
        quick > bodies / 4,
        "only {quick} of {bodies} on the quick path"
    );
}

#[test]
fn the_reference_article_reads_the_same_on_the_quick_path() {
    let Some(path) = shared::shared_path("reference/duplicated-article.txt") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    // As an aggregator sends it: each paragraph in its own element.
    let html: String = text
        .split("\n\n")
        .map(|p| format!("<p>{}</p>\n", p.replace('&', "&amp;").replace('<', "&lt;")))
        .collect();
    assert!(reads_the_same(&html, None, &"the reference article"));
}

/// The clean HTML the article extractor writes for real pages (what the cache keeps for a
/// summary-only feed, and the reader parses again) reads the same on the quick path.
#[test]
fn extracted_articles_read_the_same_on_the_quick_path() {
    let Some(dir) = shared::shared_path("datasets/article-extraction-benchmark/html") else {
        return;
    };
    let base = url::Url::parse("https://news.example/a/b.html").unwrap();
    let (mut articles, mut quick) = (0, 0);
    for (file, bytes) in benchmark_pages(&dir) {
        let Ok(article) = extract(&decode_page(&bytes, None), Some(&base), None) else {
            continue;
        };
        articles += 1;
        quick += usize::from(reads_the_same(
            &article.html,
            Some(base.as_str()),
            &file.display(),
        ));
    }
    eprintln!("{articles} articles, {quick} on the quick path");
    assert!(articles > 150, "only {articles} articles extracted");
    assert!(
        quick > articles / 2,
        "only {quick} of {articles} on the quick path"
    );
}

/// The pieces of `page` a feed body is typically made of, cut from its source as it is (not
/// re-serialised): each paragraph, heading, list, quotation and preformatted block from its start
/// tag to the first end tag of its name, and runs of up to five paragraphs together. Real markup
/// (attributes of every quoting, classes and styles, character references with and without their
/// semicolons, comments, `<br/>`, nested spans and links) that the generated tests do not write.
fn fragments(page: &str) -> Vec<&str> {
    let lower = page.to_ascii_lowercase();
    let mut out = Vec::new();
    for name in ["p", "h2", "h3", "ul", "ol", "blockquote", "pre", "dl"] {
        let (open, close) = (format!("<{name}"), format!("</{name}>"));
        let mut from = 0;
        while let Some(at) = lower[from..].find(&open).map(|i| from + i) {
            from = at + open.len();
            // `<p` must start a `<p>` or `<p ...>` tag, not `<pre>` or `<param>`.
            if !lower[from..].starts_with(['>', ' ', '\t', '\n', '\r', '/']) {
                continue;
            }
            let Some(end) = lower[from..].find(&close).map(|i| from + i + close.len()) else {
                break;
            };
            out.push(&page[at..end]);
            if name == "p" {
                // The same paragraph with the four that follow it, as one body.
                let mut run_end = end;
                for _ in 0..4 {
                    match lower[run_end..].find(&close) {
                        Some(i) => run_end += i + close.len(),
                        None => break,
                    }
                }
                if run_end > end {
                    out.push(&page[at..run_end]);
                }
            }
        }
    }
    out
}

/// Bodies cut from the extraction benchmark's real pages, as their markup was written, read the
/// same through `parse_html` as through the full bounded parse: where the quick path takes one,
/// it must build exactly the blocks the tree gives, and where it cannot, it must give it up.
#[test]
fn fragments_of_real_pages_read_the_same_on_the_quick_path() {
    let Some(dir) = shared::shared_path("datasets/article-extraction-benchmark/html") else {
        return;
    };
    let base = "https://news.example/a/b.html";
    let (mut pieces, mut quick) = (0, 0);
    for (file, bytes) in benchmark_pages(&dir) {
        let page = decode_page(&bytes, None);
        for piece in fragments(&page) {
            pieces += 1;
            quick += usize::from(reads_the_same(piece, Some(base), &file.display()));
        }
    }
    eprintln!("{pieces} fragments of real pages, {quick} on the quick path");
    assert!(pieces > 5_000, "only {pieces} fragments cut");
    assert!(
        quick > pieces / 4,
        "only {quick} of {pieces} on the quick path"
    );
}
