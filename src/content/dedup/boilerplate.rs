//! Boilerplate by feed frequency: lines that many items of the same feed carry ("Share this:",
//! "The post ... appeared first on ..."), folded when they are short or sit at an article's edges.

use super::PieceKind;
use super::shingle::Prepared;
use super::stats::FeedStats;

/// In the middle of an article only lines this short (in words) can be boilerplate: a long
/// background paragraph a site reuses inside its stories is real content.
pub(crate) const MIDDLE_MAX_WORDS: usize = 20;

/// Whether the block, on its own, recurs across the feed: the whole block, its template, or every
/// one of its sentences is frequent.
fn is_candidate(p: &Prepared, stats: &FeedStats) -> bool {
    if p.len() == 0 {
        return false;
    }
    if stats.is_frequent(p.folded_hash()) {
        return true;
    }
    if p.template_hash().is_some_and(|h| stats.is_frequent(h)) {
        return true;
    }
    p.sentences.len() > 1
        && (0..p.sentences.len()).all(|k| stats.is_frequent(p.folded_sentence_hash(k)))
}

/// One flag per block: whether it folds as boilerplate. `blocks` must be prepared with digits
/// folded.
pub(crate) fn boilerplate(
    blocks: &[Prepared],
    kinds: &[PieceKind],
    stats: &FeedStats,
) -> Vec<bool> {
    let candidate: Vec<bool> = blocks
        .iter()
        .zip(kinds)
        .map(|(p, &k)| k != PieceKind::Code && is_candidate(p, stats))
        .collect();
    // The edges: the leading and trailing runs of blocks that are boilerplate candidates or empty.
    let at_edge_or_empty =
        |i: usize| candidate[i] || (blocks[i].len() == 0 && kinds[i] != PieceKind::Code);
    let n = blocks.len();
    let lead = (0..n).take_while(|&i| at_edge_or_empty(i)).count();
    let trail_start = n - (0..n).rev().take_while(|&i| at_edge_or_empty(i)).count();
    (0..n)
        .map(|i| {
            if !candidate[i] {
                return false;
            }
            let at_edge = i < lead || i >= trail_start;
            at_edge
                || (blocks[i].len() <= MIDDLE_MAX_WORDS
                    && !matches!(kinds[i], PieceKind::Heading | PieceKind::TableRow))
        })
        .collect()
}
