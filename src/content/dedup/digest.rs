//! What one download's items contribute to deduplication, computed once while the feed is parsed
//! (on the parsing pool, never on the writer): each item's fingerprint for its feed's statistics,
//! and what story matching needs. Every block is normalised once and serves both.

use super::boilerplate::recurs;
use super::shingle::Prepared;
use super::stats::{FeedStats, ItemFingerprint};
use super::stories::StoryInfo;
use super::{Piece, PieceKind};

/// Blocks at each end of an article that are always digested: boilerplate sits at the edges.
const EDGE_BLOCKS: usize = 3;
/// Blocks this short (in words, roughly) are always digested: in the middle of an article only
/// short lines can be boilerplate (the engine's limit is 20 normalised words; this leaves room
/// for the rough count).
const SHORT_BLOCK_WORDS: usize = 32;
/// The story signature covers the opening words of the body, up to this many: the opening of a
/// story identifies it as well as its whole text does, at a fraction of the cost. Long blocks in
/// the middle are digested only until the opening is covered: a long middle block never folds as
/// boilerplate, so the statistics lose nothing by their absence.
const SIGNATURE_WORDS: usize = 600;

/// Words in a block, counted as runs of non-space bytes (as `split_ascii_whitespace` would
/// count them): a word starts at each non-space byte that follows a space. Counted pair by pair
/// with no state carried from one byte to the next, so the compiler counts many bytes at once
/// (a loop carrying whether the last byte was a space ran at one byte per step, 1.7% of a whole
/// first fetch's processor time).
fn rough_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return 0;
    };
    let mut words = usize::from(!first.is_ascii_whitespace());
    // Pairs in chunks whose counts fit a u16, the narrowest lanes to sum in.
    for (prev, next) in bytes.chunks(CHUNK).zip(bytes[1..].chunks(CHUNK)) {
        let starts: u16 = prev
            .iter()
            .zip(next)
            .map(|(&a, &b)| u16::from(a.is_ascii_whitespace() & !b.is_ascii_whitespace()))
            .sum();
        words += usize::from(starts);
    }
    words
}

/// Bytes counted at a time by [`rough_words`]: at most this many word starts, within a u16.
const CHUNK: usize = 4096;

/// One item of a download, as the digest needs it.
pub struct DigestInput<'a> {
    /// The item's blocks, in order.
    pub pieces: Vec<Piece<'a>>,
    /// Its link.
    pub link: Option<&'a str>,
    /// Its guid.
    pub guid: Option<&'a str>,
    /// Its title.
    pub title: &'a str,
}

/// One item's digest.
#[derive(Debug, Clone)]
pub struct ItemDigest {
    /// What the item adds to its feed's statistics: every block at the article's edges, every
    /// short block, and long middle blocks only up to the signature's budget.
    pub fingerprint: ItemFingerprint,
    /// Its story keys and the signature of its body, the lines that recur across the download's
    /// own items (share and promotion lines) left out, so a syndicated copy that a site decorates
    /// still matches its plain original.
    pub story: StoryInfo,
}

/// The digests of a download's items, in order. The recurring lines are judged on statistics over
/// the first `window` items of the download itself, which is what a feed's stored statistics
/// hold after its first fetch; the stored statistics are not needed here.
pub fn digest_feed(items: &[DigestInput<'_>], window: usize) -> Vec<ItemDigest> {
    let mut buf = String::new();
    let prepared: Vec<Vec<Prepared>> = items
        .iter()
        .map(|item| {
            let n = item.pieces.len();
            let mut signed_words = 0;
            item.pieces
                .iter()
                .enumerate()
                .filter(|(i, p)| {
                    if p.kind == PieceKind::Code {
                        return false;
                    }
                    let words = rough_words(p.text);
                    let wanted = *i < EDGE_BLOCKS
                        || *i + EDGE_BLOCKS >= n
                        || words <= SHORT_BLOCK_WORDS
                        || signed_words < SIGNATURE_WORDS;
                    if wanted {
                        signed_words += words;
                    }
                    wanted
                })
                .map(|(_, p)| Prepared::new(p.text, true, &mut buf))
                .filter(|p| p.len() > 0)
                .collect()
        })
        .collect();
    let prints: Vec<ItemFingerprint> = prepared
        .iter()
        .map(|b| FeedStats::fingerprint_of(b))
        .collect();
    let mut stats = FeedStats::new();
    for fp in prints.iter().take(window) {
        stats.add(fp);
    }
    items
        .iter()
        .zip(&prepared)
        .zip(prints)
        .map(|((item, blocks), fingerprint)| {
            // The opening of the body as shown (recurring lines left out) identifies the story.
            let mut words: Vec<u64> = Vec::with_capacity(SIGNATURE_WORDS);
            for p in blocks.iter().filter(|p| !recurs(p, &stats)) {
                let room = SIGNATURE_WORDS - words.len();
                words.extend(p.words.iter().take(room));
                if words.len() >= SIGNATURE_WORDS {
                    break;
                }
            }
            ItemDigest {
                fingerprint,
                story: StoryInfo::from_words(item.link, item.guid, item.title, &words),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rough_words_counts_as_split_ascii_whitespace_does() {
        for text in [
            "",
            " ",
            "one",
            "  two words ",
            "tab\tnew\nline\r\nform\x0cfeed",
            "café – naïve\u{a0}words",
            "\n\nend",
        ] {
            assert_eq!(
                rough_words(text),
                text.split_ascii_whitespace().count(),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn rough_words_counts_any_text_as_split_ascii_whitespace_does(
            text in "([a-z]{1,5}|[ \t\n\r\x0b\x0c]|\u{a0}|é){0,60}",
            repeat in 1usize..200,
        ) {
            // Repeated past a chunk's length now and then, so chunk edges are crossed.
            let text = text.repeat(repeat);
            proptest::prop_assert_eq!(rough_words(&text), text.split_ascii_whitespace().count());
        }
    }
    use crate::content::dedup::same_story;

    const STORY: &str = "The regional parliament approved a plan on Thursday to reopen the old \
                         branch railway line to passenger trains within five years, with new \
                         stations at the mill village and the hospital.";
    const MORE: &str = "Campaigners had gathered twenty thousand signatures over a decade, and the \
                        first trains are expected to run on the line before the end of the decade.";
    const PROMO: &str = "Subscribe to the Valley Post newsletter for the week's best local stories \
                         delivered to your inbox every Friday morning.";

    fn input<'a>(pieces: &[&'a str], link: &'a str) -> DigestInput<'a> {
        DigestInput {
            pieces: pieces.iter().map(|t| Piece::paragraph(t)).collect(),
            link: Some(link),
            guid: None,
            title: "Railway",
        }
    }

    #[test]
    fn a_decorated_copy_matches_its_plain_original_once_the_sites_promo_is_left_out() {
        let others: Vec<String> = (0..4)
            .map(|i| format!("Local item {i} about gardens, roses and the summer fair in bloom."))
            .collect();
        let mut site: Vec<DigestInput> =
            vec![input(&[STORY, MORE, PROMO], "https://post.test/rail")];
        for (i, o) in others.iter().enumerate() {
            site.push(DigestInput {
                link: Some(
                    [
                        "https://post.test/a",
                        "https://post.test/b",
                        "https://post.test/c",
                        "https://post.test/d",
                    ][i],
                ),
                ..input(&[o.as_str(), PROMO], "")
            });
        }
        let decorated = digest_feed(&site, 100);
        let plain = digest_feed(&[input(&[STORY, MORE], "https://wire.test/9")], 100);
        assert!(same_story(&decorated[0].story, &plain[0].story));
        // With the promo counted as text, the two bodies are too different to match.
        let alone = digest_feed(
            &[input(&[STORY, MORE, PROMO], "https://post.test/rail")],
            100,
        );
        assert!(!same_story(&alone[0].story, &plain[0].story));
        // The fingerprint is the same one the statistics use elsewhere.
        let pieces = [
            Piece::paragraph(STORY),
            Piece::paragraph(MORE),
            Piece::paragraph(PROMO),
        ];
        assert_eq!(
            decorated[0].fingerprint,
            FeedStats::item_fingerprint(&pieces)
        );
    }
}
