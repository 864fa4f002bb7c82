//! The same story across feeds: link and guid keys, and MinHash signatures of bodies.
//!
//! Two items are the same story when their normalised links or their (distinctive) guids are
//! equal, or when their bodies are near-identical: a MinHash estimate of the Jaccard similarity of
//! their word 3-shingles of at least 0.9, or at least 0.8 with some overlap in the titles. A title
//! match alone never merges two items.

use url::Url;

use super::hash::{avalanche, shingle_hash, word_hash};
use super::normalize::normalize_into;
use super::shingle::Prepared;

/// Number of values in a MinHash signature.
pub const MINHASH_LEN: usize = 64;
/// Bodies shorter than this (in words) get no signature: short summaries look too much alike.
const MIN_BODY_WORDS: usize = 30;
/// Estimated similarity at which bodies alone decide.
const BODY_ALONE: f64 = 0.9;
/// Estimated similarity at which bodies decide when the titles overlap.
const BODY_WITH_TITLE: f64 = 0.8;
/// Guids shorter than this that are not links are too generic ("42") to identify a story.
const MIN_GUID_LEN: usize = 16;

/// Query parameters that only track the reader and never change the page.
const TRACKING: &[&str] = &[
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ref", "ref_src", "cmpid", "ocid",
    "igshid", "spm", "_ga",
];

/// The identity of a story from its link (preferred) or guid, normalised so that the same page
/// seen through different feeds gets the same key: no scheme, no `www.`, no fragment, no tracking
/// parameters, sorted query, no trailing slash. `None` when neither identifies the story.
pub fn story_key(link: Option<&str>, guid: Option<&str>) -> Option<String> {
    link.and_then(link_key).or_else(|| guid.and_then(guid_key))
}

fn link_key(link: &str) -> Option<String> {
    let link = link.trim();
    if link.is_empty() {
        return None;
    }
    let Ok(url) = Url::parse(link) else {
        return Some(link.to_lowercase());
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Some(url.as_str().to_owned());
    }
    let host = url.host_str().unwrap_or("");
    let host = host.strip_prefix("www.").unwrap_or(host);
    let mut key = host.to_owned();
    if let Some(port) = url.port() {
        key.push_str(&format!(":{port}"));
    }
    key.push_str(url.path().trim_end_matches('/'));
    let mut query: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("utm_") && !TRACKING.contains(&k.as_ref()))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    query.sort();
    for (i, (k, v)) in query.iter().enumerate() {
        key.push(if i == 0 { '?' } else { '&' });
        key.push_str(k);
        key.push('=');
        key.push_str(v);
    }
    Some(key)
}

fn guid_key(guid: &str) -> Option<String> {
    let guid = guid.trim();
    if guid.starts_with("http://") || guid.starts_with("https://") {
        return link_key(guid);
    }
    (guid.chars().count() >= MIN_GUID_LEN && !guid.contains(char::is_whitespace))
        .then(|| format!("guid:{guid}"))
}

/// The MinHash signature of a text's word 3-shingles (after normalisation). Texts with fewer than
/// three words get a signature of `u32::MAX` values.
pub fn minhash(text: &str) -> [u32; MINHASH_LEN] {
    let p = Prepared::new(text, false, &mut String::new());
    minhash_of_shingles((0..p.len().saturating_sub(2)).map(|s| p.shingle(s)))
}

/// One-permutation MinHash of a set of shingle hashes: each shingle is mixed once, its top bits
/// choose one of [`MINHASH_LEN`] buckets and each bucket keeps its least value; an empty bucket
/// holds `u32::MAX`. One hash per shingle instead of one per signature value makes it about 60
/// times cheaper than classic MinHash, which matters because every stored item gets one.
pub fn minhash_of_shingles(shingles: impl Iterator<Item = u64>) -> [u32; MINHASH_LEN] {
    const SHIFT: u32 = 64 - MINHASH_LEN.trailing_zeros();
    let mut sig = [u32::MAX; MINHASH_LEN];
    for h in shingles {
        let v = avalanche(h ^ 0x9E37_79B9_7F4A_7C15);
        let bucket = (v >> SHIFT) as usize;
        let value = (v as u32).min(u32::MAX - 1);
        if value < sig[bucket] {
            sig[bucket] = value;
        }
    }
    sig
}

/// An estimate of the Jaccard similarity of the two shingle sets behind two signatures: the share
/// of equal values among the buckets that either set fills.
pub fn minhash_similarity(a: &[u32; MINHASH_LEN], b: &[u32; MINHASH_LEN]) -> f64 {
    let (mut same, mut filled) = (0usize, 0usize);
    for (x, y) in a.iter().zip(b) {
        if *x != u32::MAX || *y != u32::MAX {
            filled += 1;
            same += usize::from(x == y);
        }
    }
    if filled == 0 {
        0.0
    } else {
        same as f64 / filled as f64
    }
}

/// What story matching needs to know about one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryInfo {
    /// Normalised link, if any.
    pub link_key: Option<String>,
    /// Normalised guid, if distinctive enough.
    pub guid_key: Option<String>,
    /// Hashes of the title's distinct words of four letters or more, sorted.
    pub title_words: Vec<u64>,
    /// MinHash signature of the body text; `None` when the body is too short to compare.
    pub signature: Option<[u32; MINHASH_LEN]>,
}

impl StoryInfo {
    /// Gathers the keys, title words and body signature of an item; `body` is its plain text.
    pub fn new(link: Option<&str>, guid: Option<&str>, title: &str, body: &str) -> StoryInfo {
        let mut buf = String::new();
        normalize_into(title, &mut buf);
        let mut title_words: Vec<u64> = buf
            .split(' ')
            .filter(|w| w.chars().count() >= 4)
            .map(word_hash)
            .collect();
        title_words.sort_unstable();
        title_words.dedup();
        normalize_into(body, &mut buf);
        let long_enough = buf.split(' ').count() >= MIN_BODY_WORDS;
        StoryInfo {
            link_key: link.and_then(link_key),
            guid_key: guid.and_then(guid_key),
            title_words,
            signature: long_enough.then(|| minhash(body)),
        }
    }

    /// Like [`StoryInfo::new`], with the body given as the hashes of its normalised words, in
    /// order (shingles run across block boundaries, so a copy that splits its paragraphs
    /// differently keeps the same signature).
    pub(crate) fn from_words(
        link: Option<&str>,
        guid: Option<&str>,
        title: &str,
        words: &[u64],
    ) -> StoryInfo {
        let mut info = StoryInfo::new(link, guid, title, "");
        if words.len() >= MIN_BODY_WORDS {
            info.signature = Some(minhash_of_shingles(
                words.windows(3).map(|w| shingle_hash(w[0], w[1], w[2])),
            ));
        }
        info
    }

    fn titles_overlap(&self, other: &StoryInfo) -> bool {
        let shorter = self.title_words.len().min(other.title_words.len());
        if shorter == 0 {
            return false;
        }
        let common = self
            .title_words
            .iter()
            .filter(|w| other.title_words.binary_search(w).is_ok())
            .count();
        common * 3 >= shorter
    }
}

/// Whether two items tell the same story: equal link keys or guid keys, or near-identical bodies
/// (estimated similarity at least 0.9, or at least 0.8 with overlapping titles).
pub fn same_story(a: &StoryInfo, b: &StoryInfo) -> bool {
    if a.link_key.is_some() && a.link_key == b.link_key {
        return true;
    }
    if a.guid_key.is_some() && a.guid_key == b.guid_key {
        return true;
    }
    let (Some(sa), Some(sb)) = (&a.signature, &b.signature) else {
        return false;
    };
    let sim = minhash_similarity(sa, sb);
    sim >= BODY_ALONE || (sim >= BODY_WITH_TITLE && a.titles_overlap(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_normalise() {
        let a = story_key(
            Some("https://www.Example.com/news/a-story/?utm_source=rss&id=3#top"),
            None,
        );
        let b = story_key(Some("http://example.com/news/a-story?id=3"), None);
        assert_eq!(a, b);
        assert_ne!(
            a,
            story_key(Some("https://example.com/news/a-story?id=4"), None)
        );
        assert_eq!(story_key(None, Some("42")), None);
        assert_eq!(
            story_key(None, Some("tag:example.com,2024:story-1")).as_deref(),
            Some("guid:tag:example.com,2024:story-1")
        );
    }

    #[test]
    fn minhash_estimates_similarity() {
        let a = minhash("one two three four five six seven eight nine ten eleven twelve");
        assert_eq!(minhash_similarity(&a, &a), 1.0);
        let b = minhash("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu");
        assert!(minhash_similarity(&a, &b) < 0.1);
        assert_eq!(minhash_similarity(&minhash("a b"), &minhash("a b")), 0.0);
    }
}
