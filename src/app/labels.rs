//! Short, distinctive names for feeds: where feed titles share their opening words ("Bench Feed
//! 00012: ...", "Bench Feed 00013: ..."), a narrow column shows what tells them apart.

use std::collections::HashMap;

use crate::model::{FeedId, FeedRow};

/// For each feed, its title without the opening words it shares with the most similar other
/// title; a title that shares nothing, or would be left empty, stays whole.
pub fn distinctive(feeds: &[FeedRow]) -> HashMap<FeedId, String> {
    let mut sorted: Vec<(&str, FeedId)> = feeds.iter().map(|f| (f.title.as_str(), f.id)).collect();
    sorted.sort_unstable();
    let mut out = HashMap::with_capacity(sorted.len());
    for (i, &(title, id)) in sorted.iter().enumerate() {
        let before = i
            .checked_sub(1)
            .map_or(0, |j| shared_words(title, sorted[j].0));
        let after = sorted.get(i + 1).map_or(0, |n| shared_words(title, n.0));
        let cut = before.max(after);
        let rest =
            title[cut..].trim_start_matches(|c: char| c.is_whitespace() || c == ':' || c == '-');
        let name = if rest.is_empty() { title } else { rest };
        out.insert(id, name.to_string());
    }
    out
}

/// The byte length of the whole opening words `a` shares with `b` (0 when the first word differs).
fn shared_words(a: &str, b: &str) -> usize {
    let mut end = 0;
    let mut bi = b.chars();
    for (i, ca) in a.char_indices() {
        match bi.next() {
            Some(cb) if cb == ca => {
                if ca.is_whitespace() {
                    end = i;
                }
            }
            // `b` ends where `a` has a space: the whole of `b` is shared words.
            None if ca.is_whitespace() => return i,
            _ => return end,
        }
    }
    // `a` is a prefix of `b`: it shares whole words only if `b` goes on with a space.
    if bi.next().is_none_or(char::is_whitespace) {
        a.len()
    } else {
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::tests::feed;

    #[test]
    fn shared_opening_words_give_way_to_what_differs() {
        let feeds = vec![
            feed(1, "Bench Feed 00012: Harbour", &[], 0, None),
            feed(2, "Bench Feed 00013: Harbour", &[], 0, None),
            feed(3, "Lakeside Ledger", &[], 0, None),
            feed(4, "Harbour Gazette", &[], 0, None),
            feed(5, "Harbour", &[], 0, None),
        ];
        let d = distinctive(&feeds);
        assert_eq!(d[&1], "00012: Harbour");
        assert_eq!(d[&2], "00013: Harbour");
        assert_eq!(d[&3], "Lakeside Ledger");
        assert_eq!(d[&4], "Gazette");
        assert_eq!(d[&5], "Harbour", "nothing left: the whole title");
    }
}
