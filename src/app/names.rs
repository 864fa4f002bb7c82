//! Names for things that came without one: an item without a title, a feed whose only name is
//! its address (shown by its host or file name, never a whole path).

use crate::model::{FeedRow, Headline, ItemRow};

/// What an item without a title is called.
pub const UNTITLED: &str = "(untitled)";

/// A feed's name as shown: its title, or when the title is only its address, the address's host
/// (web feeds) or file name (local files).
pub fn source_name(title: &str) -> String {
    let t = title.trim();
    if let Ok(url) = url::Url::parse(t)
        && url.scheme() != "demo"
    {
        if let Some(host) = url.host_str().filter(|h| !h.is_empty()) {
            return host.to_string();
        }
        if let Some(name) = url
            .path_segments()
            .and_then(|mut s| s.rfind(|p| !p.is_empty()))
        {
            return name.to_string();
        }
    }
    let looks_like_path = (t.starts_with('/') || t.starts_with("./") || t.starts_with('~'))
        && !t.contains(char::is_whitespace);
    if looks_like_path
        && let Some(name) = std::path::Path::new(t).file_name().and_then(|n| n.to_str())
    {
        return name.to_string();
    }
    title.to_string()
}

/// An item's title as shown: "(untitled)" when it has none.
pub fn item_title(title: &str) -> String {
    if title.trim().is_empty() {
        UNTITLED.to_string()
    } else {
        title.to_string()
    }
}

/// A count and a noun in agreement: "1 item", "2 items".
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Names the feeds of a freshly loaded feed list.
pub fn name_feeds(rows: &mut [FeedRow]) {
    for f in rows {
        f.title = source_name(&f.title);
    }
}

/// Names the items and feeds of freshly loaded headlines.
pub fn name_headlines(rows: &mut [Headline]) {
    for h in rows {
        h.title = item_title(&h.title);
        h.feed_title = source_name(&h.feed_title);
        for other in &mut h.also_in {
            *other = source_name(other);
        }
    }
}

/// Names a freshly loaded article and its feed.
pub fn name_item(item: &mut ItemRow) {
    item.title = item_title(&item.title);
    item.feed_title = source_name(&item.feed_title);
    for other in &mut item.also_in {
        *other = source_name(other);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_give_way_to_a_host_or_a_file_name() {
        assert_eq!(
            source_name("https://news.example.org/a/b.xml"),
            "news.example.org"
        );
        assert_eq!(source_name("file:///srv/feeds/local.xml"), "local.xml");
        assert_eq!(source_name("/home/me/feeds/local.xml"), "local.xml");
        assert_eq!(source_name("Harbour Gazette"), "Harbour Gazette");
        assert_eq!(
            source_name("Ports / Harbours weekly"),
            "Ports / Harbours weekly"
        );
        assert_eq!(item_title(" "), UNTITLED);
        assert_eq!(item_title("A title"), "A title");
    }
}
