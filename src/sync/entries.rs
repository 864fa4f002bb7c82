//! What the server sends, made into what the cache takes, under the same rules as a feed: every
//! text is capped, addresses must be absolute http(s) URLs (others are dropped), and the rest
//! (sanitising titles, HTML and folder names for the terminal) happens where fetched items get
//! it, at display time and in the store.

use url::Url;

use super::server::{RemoteEntry, RemoteFeed};
use crate::model::{BodyKind, Enclosure, ParsedItem};
use crate::store::{SyncedFeed, SyncedItem};

/// Characters kept of a title or a folder name.
pub const MAX_TITLE_CHARS: usize = 1_000;
/// Characters kept of an author.
pub const MAX_AUTHOR_CHARS: usize = 500;
/// Bytes kept of an address.
pub const MAX_URL_BYTES: usize = 8 * 1024;
/// Bytes kept of a body.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// Attachments kept per item.
pub const MAX_ENCLOSURES: usize = 32;
/// Bytes of a server id: longer ones are not ids.
pub const MAX_ID_BYTES: usize = 512;

/// At most `max` characters of `s`.
fn cap_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((at, _)) => s[..at].to_string(),
        None => s.to_string(),
    }
}

/// At most `max` bytes of `s`, cut at a character boundary.
fn cap_bytes(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut at = max;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        s.truncate(at);
    }
    s
}

/// `raw` as an absolute http(s) URL, when it is one and not too long.
pub fn web_url(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > MAX_URL_BYTES {
        return None;
    }
    let url = Url::parse(raw).ok()?;
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_BYTES && !id.chars().any(char::is_control)
}

/// A subscription as the cache takes it; `None` when its id or address is unusable.
pub fn synced_feed(f: RemoteFeed) -> Option<SyncedFeed> {
    if !valid_id(&f.id) {
        return None;
    }
    let url = web_url(&f.url)?;
    Some(SyncedFeed {
        remote_id: f.id,
        url,
        title: cap_chars(&f.title, MAX_TITLE_CHARS),
        site_link: f.site_url.as_deref().and_then(web_url),
        tags: f
            .categories
            .iter()
            .map(|c| cap_chars(c, MAX_TITLE_CHARS))
            .collect(),
        error: f
            .error
            .map(|e| format!("on the server: {}", cap_chars(&e, MAX_TITLE_CHARS))),
    })
}

/// An item as the cache takes it, first seen at `now`; `None` when its id is unusable.
pub fn synced_item(e: RemoteEntry, now: i64) -> Option<SyncedItem> {
    if !valid_id(&e.id) {
        return None;
    }
    let link = e.url.as_deref().and_then(web_url);
    let enclosures = e
        .enclosures
        .into_iter()
        .filter_map(|(url, mime, length)| {
            Some(Enclosure {
                url: web_url(&url)?,
                mime: mime.map(|m| cap_chars(&m, 200)),
                length,
            })
        })
        .take(MAX_ENCLOSURES)
        .collect();
    let item = ParsedItem {
        key: format!("sync:{}", e.id),
        guid: None,
        base: link.clone(),
        link,
        title: cap_chars(&e.title, MAX_TITLE_CHARS),
        author: e
            .author
            .map(|a| cap_chars(&a, MAX_AUTHOR_CHARS))
            .filter(|a| !a.trim().is_empty()),
        // Clamped to now, as a feed's dates are.
        published: e.published.filter(|&t| t > 0).map(|t| t.min(now)),
        content: cap_bytes(e.content, MAX_BODY_BYTES),
        content_kind: BodyKind::Html,
        enclosures,
    };
    Some(SyncedItem {
        remote_id: e.id,
        item,
        read: e.read,
        starred: e.starred,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_absolute_web_addresses_pass_and_texts_are_capped() {
        assert_eq!(
            web_url(" https://a.test/x ").as_deref(),
            Some("https://a.test/x")
        );
        for bad in [
            "javascript:alert(1)",
            "file:///etc/passwd",
            "/relative",
            "data:text/html,x",
            "",
        ] {
            assert_eq!(web_url(bad), None, "{bad}");
        }
        let e = RemoteEntry {
            id: "12".into(),
            feed_id: "3".into(),
            title: "t".repeat(MAX_TITLE_CHARS + 50),
            url: Some("javascript:alert(1)".into()),
            author: Some("  ".into()),
            published: Some(i64::MAX),
            content: "é".repeat(MAX_BODY_BYTES),
            enclosures: vec![
                (
                    "https://a.test/a.mp3".into(),
                    Some("audio/mpeg".into()),
                    Some(3),
                ),
                ("ftp://a.test/b".into(), None, None),
            ],
            read: true,
            starred: false,
        };
        let s = synced_item(e, 1_000).unwrap();
        assert_eq!(s.item.title.chars().count(), MAX_TITLE_CHARS);
        assert_eq!(s.item.link, None);
        assert_eq!(s.item.author, None);
        assert_eq!(s.item.published, Some(1_000));
        assert!(s.item.content.len() <= MAX_BODY_BYTES);
        assert_eq!(s.item.enclosures.len(), 1);
        assert_eq!(s.item.key, "sync:12");
        assert!(s.read && !s.starred);
    }

    #[test]
    fn unusable_ids_and_feed_addresses_are_dropped() {
        let bad_id = RemoteEntry {
            id: "a\u{1b}[2J".into(),
            ..RemoteEntry::default()
        };
        assert!(synced_item(bad_id, 0).is_none());
        let feed = RemoteFeed {
            id: "1".into(),
            url: "file:///etc/passwd".into(),
            ..RemoteFeed::default()
        };
        assert!(synced_feed(feed).is_none());
    }
}
