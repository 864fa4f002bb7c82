//! How often a feed says it changes: RSS `<ttl>` (minutes) and the syndication module's
//! `sy:updatePeriod` (`hourly`, `daily`, `weekly`, `monthly`, `yearly`) with
//! `sy:updateFrequency` (times per period), read from the feed's channel, and the HTTP
//! `Cache-Control: max-age`. The longest of them counts, capped at [`MAX_HINT_SECS`].

/// The longest wait a feed's hints can ask for: a day.
pub const MAX_HINT_SECS: i64 = 86_400;

/// How much of a feed's start is searched for its channel hints (they come before the items).
const SCAN_BYTES: usize = 64 * 1024;

/// Where a feed's first item or entry opens, if it does within `head`.
fn first_item(head: &[u8]) -> Option<usize> {
    let opens = |tag: &[u8]| {
        memchr::memmem::find_iter(head, tag).find(|&at| {
            head.get(at + tag.len())
                .is_none_or(|&b| b == b'>' || b == b'/' || b.is_ascii_whitespace())
        })
    };
    match (opens(b"<item"), opens(b"<entry")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The seconds a feed asks to wait between fetches, from its `body`'s channel hints and the
/// `max_age` of its answer's `Cache-Control`; `None` when it says nothing.
pub fn refresh_hint(body: &[u8], max_age: Option<u64>) -> Option<i64> {
    // The channel's own elements, up to its first item: an item's content cannot speak for
    // the feed (and the items are most of a feed's bytes).
    let head = &body[..body.len().min(SCAN_BYTES)];
    let head = String::from_utf8_lossy(&head[..first_item(head).unwrap_or(head.len())]);
    let ttl = element(&head, "ttl")
        .and_then(|t| t.parse::<i64>().ok())
        .filter(|&m| m > 0)
        .map(|m| m.saturating_mul(60));
    let period =
        element(&head, "updatePeriod").and_then(|p| match p.to_ascii_lowercase().as_str() {
            "hourly" => Some(3_600i64),
            "daily" => Some(86_400),
            "weekly" => Some(7 * 86_400),
            "monthly" => Some(30 * 86_400),
            "yearly" => Some(365 * 86_400),
            _ => None,
        });
    let frequency = element(&head, "updateFrequency")
        .and_then(|f| f.parse::<i64>().ok())
        .filter(|&f| f > 0)
        .unwrap_or(1);
    let syndication = period.map(|p| p / frequency);
    let cache = max_age.map(|s| i64::try_from(s).unwrap_or(i64::MAX));
    [ttl, syndication, cache]
        .into_iter()
        .flatten()
        .filter(|&s| s > 0)
        .max()
        .map(|s| s.min(MAX_HINT_SECS))
}

/// The trimmed text of the first element whose local name is `name` (any prefix), such as
/// `<sy:updatePeriod>daily</sy:updatePeriod>`.
fn element<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = text;
    while let Some(at) = rest.find(name) {
        let before = &rest[..at];
        let after = &rest[at + name.len()..];
        // `<name>` or `<prefix:name>`, with nothing else between `<` and the name.
        let opens = before.rfind('<').is_some_and(|lt| {
            let tag = &before[lt + 1..];
            tag.is_empty() || (tag.ends_with(':') && !tag.contains(['<', '>', ' ', '/']))
        });
        if opens && let Some(close) = after.strip_prefix('>') {
            let end = close.find('<')?;
            return Some(close[..end].trim());
        }
        rest = after;
    }
    None
}

/// The `max-age` of a `Cache-Control` header value, in seconds; `None` without one, or with
/// `no-cache` or `no-store`.
pub fn cache_max_age(header: &str) -> Option<u64> {
    let mut max_age = None;
    for part in header.split(',') {
        let part = part.trim().to_ascii_lowercase();
        if part == "no-cache" || part == "no-store" {
            return None;
        }
        if let Some(v) = part.strip_prefix("max-age=") {
            max_age = v.trim_matches('"').parse().ok();
        }
    }
    max_age
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_hint_is_read_and_the_longest_counts() {
        let rss =
            |inner: &str| format!("<rss><channel><title>t</title>{inner}<item/></channel></rss>");
        assert_eq!(
            refresh_hint(rss("<ttl>90</ttl>").as_bytes(), None),
            Some(5_400)
        );
        assert_eq!(
            refresh_hint(
                rss("<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>")
                    .as_bytes(),
                None
            ),
            Some(1_800)
        );
        assert_eq!(refresh_hint(rss("").as_bytes(), Some(600)), Some(600));
        assert_eq!(
            refresh_hint(rss("<ttl>20</ttl>").as_bytes(), Some(600)),
            Some(1_200)
        );
        assert_eq!(
            refresh_hint(
                rss("<sy:updatePeriod>weekly</sy:updatePeriod>").as_bytes(),
                None
            ),
            Some(MAX_HINT_SECS),
            "capped at a day"
        );
        assert_eq!(refresh_hint(rss("<ttlx>5</ttlx>").as_bytes(), None), None);
        let in_an_item = "<rss><channel><title>t</title><item><title>a</title>\
            <description><![CDATA[<ttl>900</ttl>]]></description></item></channel></rss>";
        assert_eq!(
            refresh_hint(in_an_item.as_bytes(), None),
            None,
            "an item's content is not the channel's hint"
        );
        let atom = "<feed><title>t</title><sy:updatePeriod>hourly</sy:updatePeriod>\
            <entry><sy:updatePeriod>yearly</sy:updatePeriod></entry></feed>";
        assert_eq!(refresh_hint(atom.as_bytes(), None), Some(3_600));
        let items_tag = "<rss><channel><items>x</items><ttl>30</ttl><item/></channel></rss>";
        assert_eq!(
            refresh_hint(items_tag.as_bytes(), None),
            Some(1_800),
            "<items> is not an item"
        );
        assert_eq!(refresh_hint(b"{}", None), None);
    }

    #[test]
    fn cache_control_max_age() {
        assert_eq!(cache_max_age("public, max-age=300"), Some(300));
        assert_eq!(cache_max_age("no-cache, max-age=300"), None);
        assert_eq!(cache_max_age("private"), None);
    }
}
