//! Telling a web page from a feed, and finding the feeds a web page advertises.

use scraper::{Html, Selector};
use url::Url;

use super::{decode, repair};

/// Feed types a page may advertise with `<link rel="alternate" type=...>`.
const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
];

/// Whether `bytes` are an HTML page rather than a feed: the root element is `html`, or the
/// document declares an HTML doctype and its root is not a feed's, or a page with junk in front
/// opens an `<html>` element.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head = decode::to_utf8(&bytes[..bytes.len().min(4096)], None);
    if let Some(name) = repair::root_name(&head) {
        let feed_root = ["rss", "feed", "rdf:RDF", "RDF", "channel"]
            .iter()
            .any(|r| name.eq_ignore_ascii_case(r));
        return name.eq_ignore_ascii_case("html") || (has_html_doctype(&head) && !feed_root);
    }
    let lower = head.to_ascii_lowercase();
    has_html_doctype(&head)
        || (lower.contains("<html")
            && !lower.contains("<rss")
            && !lower.contains("<feed")
            && !lower.contains("<rdf:rdf"))
}

fn has_html_doctype(head: &str) -> bool {
    let lower = head.to_ascii_lowercase();
    lower.find("<!doctype").is_some_and(|at| {
        lower[at + "<!doctype".len()..]
            .trim_start()
            .starts_with("html")
    })
}

/// The feed addresses an HTML page advertises, absolute (resolved against `<base href>` when the
/// page has one, else `base`), in page order, without duplicates.
pub fn find_feed_links(html: &str, base: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let page_base = Url::parse(base).ok();
    let base_sel = Selector::parse("base[href]").expect("static selector");
    let base = doc
        .select(&base_sel)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| match &page_base {
            Some(pb) => pb.join(href.trim()).ok(),
            None => Url::parse(href.trim()).ok(),
        })
        .or(page_base);
    let link_sel = Selector::parse("link[rel][href]").expect("static selector");
    let mut out: Vec<String> = Vec::new();
    for link in doc.select(&link_sel) {
        let el = link.value();
        let rel = el.attr("rel").unwrap_or("");
        if !rel
            .split_ascii_whitespace()
            .any(|r| r.eq_ignore_ascii_case("alternate"))
        {
            continue;
        }
        let mime = el.attr("type").unwrap_or("").trim().to_ascii_lowercase();
        let essence = mime.split(';').next().unwrap_or("").trim();
        if !FEED_TYPES.contains(&essence) {
            continue;
        }
        let href = el.attr("href").unwrap_or("").trim();
        let resolved = match &base {
            Some(b) => b.join(href).ok(),
            None => Url::parse(href).ok(),
        };
        if let Some(url) = resolved.map(String::from)
            && !out.contains(&url)
        {
            out.push(url);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_pages_are_recognised() {
        assert!(looks_like_html(
            b"<!DOCTYPE html>\n<html><head></head></html>"
        ));
        assert!(looks_like_html(b"  <HTML lang=en><body>hi"));
        assert!(looks_like_html(b"junk <html><body>"));
        assert!(!looks_like_html(
            b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>"
        ));
        assert!(!looks_like_html(
            b"<feed xmlns='http://www.w3.org/2005/Atom'><content type='html'>&lt;html&gt;</content></feed>"
        ));
        assert!(!looks_like_html(
            b"{\"version\": \"https://jsonfeed.org/version/1.1\"}"
        ));
    }

    #[test]
    fn feed_links_are_found_and_resolved() {
        let html = r#"<html><head>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/rss+xml" href="/feed.xml">
            <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="atom.xml">
            <link rel="alternate" type="text/html" href="/other.html">
            <link rel="alternate" type="application/feed+json" href="https://cdn.example.org/f.json">
            <link rel="alternate" type="application/rss+xml" href="/feed.xml">
        </head><body></body></html>"#;
        assert_eq!(
            find_feed_links(html, "https://example.org/blog/post"),
            vec![
                "https://example.org/feed.xml",
                "https://example.org/blog/atom.xml",
                "https://cdn.example.org/f.json",
            ]
        );
    }

    #[test]
    fn base_element_is_honoured() {
        let html = r#"<head><base href="https://b.example/x/"><link rel="alternate" type="application/json" href="f.json"></head>"#;
        assert_eq!(
            find_feed_links(html, "https://a.example/"),
            vec!["https://b.example/x/f.json"]
        );
    }
}
