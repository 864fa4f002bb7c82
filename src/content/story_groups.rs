//! Grouping items that tell the same story through different feeds (deduplication of the third
//! kind): equal normalised links or guids, or near-identical bodies found through MinHash bands
//! and confirmed by [`same_story`]. Pure and deterministic.

use std::collections::HashMap;

use super::dedup::{MINHASH_LEN, StoryInfo, same_story};

/// Signature values per band: two bodies share a band when these values are all equal.
const BAND: usize = 4;

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// For each item, the index of the first item (in the given order) of its story; an item that is
/// the first of its story maps to itself. `feeds` holds one feed identity per item: only items of
/// different feeds are matched, and a story holds at most one item of each feed. Candidates come from equal link or guid keys and from equal MinHash
/// bands, and are confirmed with [`same_story`], so the work stays near linear.
pub fn group_stories(items: &[StoryInfo], feeds: &[i64]) -> Vec<usize> {
    let n = items.len();
    let mut parent: Vec<usize> = (0..n).collect();
    // The feeds of each story, kept at its root.
    let mut story_feeds: Vec<Vec<i64>> = (0..n)
        .map(|i| feeds.get(i).copied().into_iter().collect())
        .collect();
    let mut buckets: HashMap<(u8, u64), Vec<usize>> = HashMap::new();
    for (i, info) in items.iter().enumerate() {
        if let Some(k) = &info.link_key {
            buckets.entry((0, hash_str(k))).or_default().push(i);
        }
        if let Some(k) = &info.guid_key {
            buckets.entry((1, hash_str(k))).or_default().push(i);
        }
        if let Some(sig) = &info.signature {
            for (b, band) in sig.chunks(BAND).enumerate() {
                let mut h = xxhash_rust::xxh3::Xxh3::new();
                for v in band {
                    h.update(&v.to_le_bytes());
                }
                buckets
                    .entry((2 + b as u8, h.digest()))
                    .or_default()
                    .push(i);
            }
        }
    }
    let mut keys: Vec<&(u8, u64)> = buckets.keys().collect();
    keys.sort_unstable();
    for key in keys {
        let members = &buckets[key];
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                if ri == rj || story_feeds[ri].iter().any(|f| story_feeds[rj].contains(f)) {
                    continue;
                }
                if same_story(&items[i], &items[j]) {
                    // The earlier item leads its story.
                    let (lead, other) = (ri.min(rj), ri.max(rj));
                    parent[other] = lead;
                    let moved = std::mem::take(&mut story_feeds[other]);
                    story_feeds[lead].extend(moved);
                }
            }
        }
    }
    (0..n).map(|i| find(&mut parent, i)).collect()
}

fn hash_str(s: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(s.as_bytes())
}

const _: () = assert!(MINHASH_LEN % BAND == 0);

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "The regional parliament approved a plan on Thursday to reopen the old \
                        branch railway line to passenger trains within five years, with new \
                        stations at the mill village and the hospital, at a cost of forty million.";

    fn info(link: &str, title: &str, body: &str) -> StoryInfo {
        StoryInfo::new(Some(link), None, title, body)
    }

    #[test]
    fn same_links_and_same_bodies_group_across_feeds_only() {
        let items = [
            info("https://a.example/rail", "Rail line to reopen", BODY),
            info(
                "https://b.example/x?utm_source=rss",
                "Something else",
                "Totally unrelated words about gardens and roses in bloom.",
            ),
            info("https://www.a.example/rail/", "Railway back", "Short."),
            info(
                "https://c.example/story-9",
                "Branch railway line to reopen",
                BODY,
            ),
            info("https://d.example/other", "Rail line to reopen", BODY),
        ];
        let feeds = [1, 2, 3, 4, 1];
        assert_eq!(group_stories(&items, &feeds), vec![0, 1, 0, 0, 4]);
    }
}
