//! Bounding how many items one download yields: the newest by date are kept, in document order
//! where dates are missing or equal.

use crate::model::ParsedItem;

/// Keeps at most `max` of the items for which `candidate` holds (the others always stay): the
/// newest by publication date, an undated item counting as published at `fetched_at` (as the
/// cache files it). Among equal dates the earlier in the document wins, so a feed with no dates
/// keeps its first `max` candidates. The kept items stay in document order. Returns how many
/// items were dropped.
pub fn keep_newest(
    items: &mut Vec<ParsedItem>,
    max: usize,
    fetched_at: i64,
    candidate: impl Fn(&ParsedItem) -> bool,
) -> usize {
    let flags: Vec<bool> = items.iter().map(&candidate).collect();
    let mut ranked: Vec<(i64, usize)> = items
        .iter()
        .enumerate()
        .filter(|&(i, _)| flags[i])
        .map(|(i, item)| (item.published.unwrap_or(fetched_at), i))
        .collect();
    if ranked.len() <= max {
        return 0;
    }
    // Newest first; the stable sort keeps document order among equal dates.
    ranked.sort_by_key(|&(time, _)| std::cmp::Reverse(time));
    let mut keep = vec![true; items.len()];
    for &(_, i) in &ranked[max..] {
        keep[i] = false;
    }
    let before = items.len();
    let mut index = 0;
    items.retain(|_| {
        let kept = keep[index];
        index += 1;
        kept
    });
    items.shrink_to_fit();
    before - items.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(key: &str, published: Option<i64>) -> ParsedItem {
        ParsedItem {
            key: key.to_string(),
            guid: None,
            link: None,
            title: String::new(),
            author: None,
            published,
            content: String::new(),
            content_kind: crate::model::BodyKind::Text,
            base: None,
            enclosures: Vec::new(),
        }
    }

    fn keys(items: &[ParsedItem]) -> Vec<&str> {
        items.iter().map(|i| i.key.as_str()).collect()
    }

    #[test]
    fn the_newest_are_kept_in_document_order() {
        let mut items = vec![
            item("old", Some(10)),
            item("new", Some(50)),
            item("mid", Some(30)),
            item("oldest", Some(1)),
        ];
        assert_eq!(keep_newest(&mut items, 2, 100, |_| true), 2);
        assert_eq!(keys(&items), ["new", "mid"]);
    }

    #[test]
    fn undated_items_keep_the_first_in_the_document() {
        let mut items: Vec<_> = (0..10).map(|i| item(&format!("k{i}"), None)).collect();
        assert_eq!(keep_newest(&mut items, 3, 100, |_| true), 7);
        assert_eq!(keys(&items), ["k0", "k1", "k2"]);
    }

    #[test]
    fn only_candidates_are_dropped() {
        let mut items = vec![
            item("known-old", Some(1)),
            item("a", Some(5)),
            item("b", Some(9)),
            item("c", Some(7)),
        ];
        let dropped = keep_newest(&mut items, 1, 100, |i| !i.key.starts_with("known"));
        assert_eq!(dropped, 2);
        assert_eq!(keys(&items), ["known-old", "b"]);
    }

    /// An Atom feed of `n` entries with scattered dates, some undated, under an `xml:base`.
    fn atom(n: usize) -> String {
        let mut s = String::from(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:base=\"https://b.example/dir/\">\
             <title>A</title>",
        );
        for i in 0..n {
            let date = if i % 5 == 0 {
                String::new()
            } else {
                let day = 1 + (i * 37) % 28;
                format!("<updated>2020-02-{day:02}T10:{:02}:00Z</updated>", i % 60)
            };
            s.push_str(&format!(
                "<entry><id>e{i}</id><title>T{i}</title>{date}\
                 <content type=\"html\">&lt;a href=\"x{i}\"&gt;l&lt;/a&gt;</content></entry>"
            ));
        }
        s.push_str("</feed>");
        s
    }

    /// For each cap, a capped (chunked) parse of `text` equals a whole parse cut to the newest.
    fn assert_chunked_parse_keeps_what_a_whole_parse_keeps(text: &str, now: i64, caps: &[usize]) {
        for &max in caps {
            let mut whole =
                crate::feed::parse(text.as_bytes(), None, "https://x.example/f", now).unwrap();
            keep_newest(&mut whole.items, max, now, |_| true);
            let capped =
                crate::feed::parse_capped(text.as_bytes(), None, "https://x.example/f", now, max)
                    .unwrap();
            assert_eq!(capped.items.len(), max);
            assert_eq!(capped, whole, "max {max}");
        }
    }

    #[test]
    fn a_chunked_parse_yields_what_a_whole_parse_keeps() {
        let now = 1_700_000_000;
        let text = atom(2_345);
        assert_chunked_parse_keeps_what_a_whole_parse_keeps(&text, now, &[1, 100, 2_000]);
    }

    #[test]
    fn a_chunked_json_feed_yields_what_a_whole_parse_keeps() {
        let now = 1_700_000_000;
        let items: Vec<String> = (0..2_345)
            .map(|i| {
                let date = if i % 4 == 0 {
                    String::new()
                } else {
                    format!(
                        r#","date_published":"2021-03-{:02}T08:00:00Z""#,
                        1 + (i * 13) % 28
                    )
                };
                format!(r#"{{"id":"j{i}","title":"J{i}","content_text":"t{i}"{date}}}"#)
            })
            .collect();
        let text = format!(
            r#"{{"version":"https://jsonfeed.org/version/1.1","title":"J","items":[{}]}}"#,
            items.join(",\n")
        );
        assert_chunked_parse_keeps_what_a_whole_parse_keeps(&text, now, &[1, 700, 2_000]);
    }

    #[test]
    fn within_the_cap_nothing_changes() {
        let mut items = vec![item("a", Some(1)), item("b", None)];
        assert_eq!(keep_newest(&mut items, 2, 100, |_| true), 0);
        assert_eq!(keys(&items), ["a", "b"]);
    }
}
