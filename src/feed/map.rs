//! From feed-rs's model to ours: identity, dates, body, base URL and enclosures decided once here.

use feed_rs::model::{Entry, Feed, FeedType, Link};
use url::Url;
use xxhash_rust::xxh3::xxh3_64;

use crate::model::{BodyKind, Enclosure, ParsedFeed, ParsedItem};

/// Converts a parsed feed-rs feed, resolving links against `base` (the source URL, when it is one).
/// `body_bases` holds, per entry, the `xml:base` in effect at its body (see `xmlbase`); it is
/// used only when it has one slot per entry.
///
/// Entry ids must be empty where the document gave none (the parser is built so).
pub(crate) fn to_model(
    feed: Feed,
    body_bases: &[Option<Url>],
    base: Option<&Url>,
    source_url: &str,
    fetched_at: i64,
) -> ParsedFeed {
    let kind = feed.feed_type.clone();
    let site_link = main_link(&feed.links, &kind).and_then(|l| absolute(&l.href, base));
    let title = feed
        .title
        .map(|t| t.content)
        .filter(|t| !t.trim().is_empty());
    let mut items: Vec<ParsedItem> = feed
        .entries
        .into_iter()
        .map(|e| to_item(e, &kind, base, site_link.as_deref(), source_url, fetched_at))
        .collect();
    if body_bases.len() == items.len() {
        for (item, body_base) in items.iter_mut().zip(body_bases) {
            if let Some(b) = body_base {
                item.base = Some(b.to_string());
            }
        }
    }
    ParsedFeed {
        title,
        site_link,
        items,
    }
}

fn to_item(
    entry: Entry,
    kind: &FeedType,
    base: Option<&Url>,
    site_link: Option<&str>,
    source_url: &str,
    fetched_at: i64,
) -> ParsedItem {
    let guid = Some(entry.id.trim().to_string()).filter(|id| !id.is_empty());
    let link = main_link(&entry.links, kind).and_then(|l| absolute(&l.href, base));
    let title = entry
        .title
        .as_ref()
        .map(|t| t.content.clone())
        .unwrap_or_default();
    let published = entry
        .published
        .or(entry.updated)
        .map(|t| t.timestamp().min(fetched_at));
    let key = guid
        .clone()
        .or_else(|| link.clone())
        .unwrap_or_else(|| hash_key(&title, published));
    let author = authors(&entry);
    let (content, content_kind) = body(&entry, kind);
    let item_base = entry
        .base
        .as_deref()
        .and_then(|b| absolute(b, base))
        .or_else(|| link.clone())
        .or_else(|| site_link.map(str::to_string))
        .or_else(|| Some(source_url.to_string()).filter(|s| !s.is_empty()));
    let enclosures = enclosures(&entry, kind, base);
    ParsedItem {
        key,
        guid,
        link,
        title,
        author,
        published,
        content,
        content_kind,
        base: item_base,
        enclosures,
    }
}

/// The link a reader would follow: the first without a `rel` or with `rel="alternate"`
/// (in JSON Feed, attachments are links too: they are the ones with a media type).
fn main_link<'a>(links: &'a [Link], kind: &FeedType) -> Option<&'a Link> {
    links.iter().find(|l| {
        matches!(l.rel.as_deref(), None | Some("alternate"))
            && !l.href.trim().is_empty()
            && !is_attachment(l, kind)
    })
}

/// Whether a feed-rs link is a JSON Feed attachment.
fn is_attachment(link: &Link, kind: &FeedType) -> bool {
    *kind == FeedType::JSON && link.rel.is_none() && link.media_type.is_some()
}

/// `href` made absolute against `base`; kept as written when it cannot be resolved.
fn absolute(href: &str, base: Option<&Url>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    if super::plain_url::is_plain(href) {
        return Some(href.to_owned());
    }
    match Url::parse(href) {
        Ok(url) => Some(url.to_string()),
        Err(_) => Some(
            base.and_then(|b| b.join(href).ok())
                .map_or_else(|| href.to_string(), |u| u.to_string()),
        ),
    }
}

/// A stable identity for an item with neither guid nor link.
fn hash_key(title: &str, published: Option<i64>) -> String {
    let date = published.map(|p| p.to_string()).unwrap_or_default();
    format!("{:016x}", xxh3_64(format!("{title}\n{date}").as_bytes()))
}

fn authors(entry: &Entry) -> Option<String> {
    let names: Vec<&str> = entry
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref().or(p.email.as_deref()))
        .map(person_name)
        .filter(|n| !n.is_empty())
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// A display name from RSS's `email (Name)` convention, which feed-rs splits into an email and a
/// parenthesised name: the parentheses go.
fn person_name(raw: &str) -> &str {
    let t = raw.trim();
    match t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        Some(inner) if !inner.trim().is_empty() => inner.trim(),
        _ => t,
    }
}

/// The full content when present, else the summary, with how to read it. An RSS description
/// is HTML by custom, whatever feed-rs says of it.
fn body(entry: &Entry, kind: &FeedType) -> (String, BodyKind) {
    if let Some(content) = &entry.content
        && let Some(text) = content.body.as_deref().filter(|b| !b.trim().is_empty())
    {
        return (text.to_string(), kind_of(content.content_type.as_str()));
    }
    match &entry.summary {
        Some(summary) if matches!(kind, FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2) => {
            (summary.content.clone(), BodyKind::Html)
        }
        Some(summary) => (
            summary.content.clone(),
            kind_of(summary.content_type.as_str()),
        ),
        None => (String::new(), BodyKind::Html),
    }
}

fn kind_of(mime: &str) -> BodyKind {
    let essence = mime.split(';').next().unwrap_or("").trim();
    if essence.eq_ignore_ascii_case("text/plain") {
        BodyKind::Text
    } else {
        BodyKind::Html
    }
}

/// Media objects (RSS enclosures among them), Atom `rel="enclosure"` links and JSON Feed
/// attachments, first seen first.
fn enclosures(entry: &Entry, kind: &FeedType, base: Option<&Url>) -> Vec<Enclosure> {
    let mut out: Vec<Enclosure> = Vec::new();
    let mut push = |enc: Enclosure| {
        if !out.iter().any(|e| e.url == enc.url) {
            out.push(enc);
        }
    };
    for media in &entry.media {
        for content in &media.content {
            if let Some(url) = &content.url {
                push(Enclosure {
                    url: url.to_string(),
                    mime: content.content_type.as_ref().map(|m| m.to_string()),
                    length: content.size,
                });
            }
        }
    }
    for link in entry
        .links
        .iter()
        .filter(|l| l.rel.as_deref() == Some("enclosure") || is_attachment(l, kind))
    {
        if let Some(url) = absolute(&link.href, base) {
            push(Enclosure {
                url,
                mime: link.media_type.clone(),
                length: link.length,
            });
        }
    }
    out
}

#[cfg(test)]
mod name_tests {
    use super::person_name;

    #[test]
    fn rss_email_name_convention_keeps_the_name() {
        assert_eq!(person_name(" (Marta Ellison) "), "Marta Ellison");
        assert_eq!(person_name("Ada (the first)"), "Ada (the first)");
        assert_eq!(person_name("()"), "()");
    }
}
