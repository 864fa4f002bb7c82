//! Telling a web page from a feed, and finding the feeds a web page advertises.

use std::cell::RefCell;

use html5ever::TokenizerResult;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
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
///
/// Only html5ever's tokenizer reads the page (no tree is built), so the cost is linear in the
/// page whatever its markup: a page of 100,000 nested elements costs what its bytes cost.
pub fn find_feed_links(html: &str, base: &str) -> Vec<String> {
    let found = scan_links(html);
    let page_base = Url::parse(base).ok();
    let base = found
        .base
        .and_then(|href| match &page_base {
            Some(pb) => pb.join(href.trim()).ok(),
            None => Url::parse(href.trim()).ok(),
        })
        .or(page_base);
    let mut out: Vec<String> = Vec::new();
    for link in found.links {
        if !link
            .rel
            .split_ascii_whitespace()
            .any(|r| r.eq_ignore_ascii_case("alternate"))
        {
            continue;
        }
        let mime = link.mime.trim().to_ascii_lowercase();
        let essence = mime.split(';').next().unwrap_or("").trim();
        if !FEED_TYPES.contains(&essence) {
            continue;
        }
        let href = link.href.trim();
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

/// One `<link>` start tag that has `rel` and `href`.
struct LinkTag {
    rel: String,
    mime: String,
    href: String,
}

/// What a page's start tags say about its feeds: the first `<base href>` and every `<link>`.
#[derive(Default)]
struct Found {
    base: Option<String>,
    links: Vec<LinkTag>,
}

/// Collects [`Found`] from the tokenizer's start tags, and switches the tokenizer to raw text
/// inside `<script>`, `<style>` and the like, as a tree builder would, so that markup quoted
/// in a script is not taken for the page's own.
#[derive(Default)]
struct LinkSink {
    found: RefCell<Found>,
}

impl TokenSink for LinkSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let Token::TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != TagKind::StartTag {
            return TokenSinkResult::Continue;
        }
        let attr = |name: &str| {
            tag.attrs
                .iter()
                .find(|a| &*a.name.local == name)
                .map(|a| a.value.to_string())
        };
        let mut found = self.found.borrow_mut();
        match &*tag.name {
            "base" if found.base.is_none() => found.base = attr("href"),
            "link" => {
                if let (Some(rel), Some(href)) = (attr("rel"), attr("href")) {
                    let mime = attr("type").unwrap_or_default();
                    found.links.push(LinkTag { rel, mime, href });
                }
            }
            "script" => return TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                return TokenSinkResult::RawData(RawKind::Rawtext);
            }
            "textarea" | "title" => return TokenSinkResult::RawData(RawKind::Rcdata),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Runs the tokenizer over `html` and returns what its start tags say.
fn scan_links(html: &str) -> Found {
    let tokenizer = Tokenizer::new(LinkSink::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    while let TokenizerResult::Script(()) = tokenizer.feed(&input) {}
    tokenizer.end();
    tokenizer.sink.found.take()
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
    fn links_quoted_in_a_script_are_not_the_pages_own() {
        let html = r#"<head><script>var s = '<link rel="alternate" type="application/rss+xml" href="/evil.xml">';</script>
            <link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>"#;
        assert_eq!(
            find_feed_links(html, "https://a.example/"),
            vec!["https://a.example/feed.xml"]
        );
    }

    #[test]
    fn deep_markup_still_yields_its_links() {
        // 100,000 nested elements: a tree builder's scope checks make this quadratic; the
        // tokenizer alone reads it in one pass and still finds the link at the end.
        let mut html = "<div>".repeat(100_000);
        html.push_str(r#"<link rel="alternate" type="application/atom+xml" href="/a.xml">"#);
        assert_eq!(
            find_feed_links(&html, "https://a.example/"),
            vec!["https://a.example/a.xml"]
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
