//! Boilerplate by feed frequency: lines that many items of the same feed carry ("Share this:",
//! "The post ... appeared first on ..."), folded when they are short or sit at an article's edges.

use super::PieceKind;
use super::shingle::Prepared;
use super::stats::FeedStats;

/// In the middle of an article only lines this short (in words) can be boilerplate: a long
/// background paragraph a site reuses inside its stories is real content.
pub(crate) const MIDDLE_MAX_WORDS: usize = 20;

/// How strongly a block, on its own, recurs across the feed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Evidence {
    /// Not frequent.
    None,
    /// Only its template (first and last words) is frequent: enough at the edges only.
    Template,
    /// The whole block, or every one of its sentences, is frequent.
    Text,
}

fn evidence(p: &Prepared, stats: &FeedStats) -> Evidence {
    if p.len() == 0 {
        return Evidence::None;
    }
    if stats.is_frequent(p.folded_hash())
        || (p.sentences.len() > 1
            && (0..p.sentences.len()).all(|k| stats.is_frequent(p.folded_sentence_hash(k))))
    {
        return Evidence::Text;
    }
    if p.template_hash().is_some_and(|h| stats.is_frequent(h)) {
        return Evidence::Template;
    }
    Evidence::None
}

/// Whether a block (prepared with digits folded) recurs across the feed at all, as a whole, by
/// every sentence, or by its template: what story matching leaves out of a body.
pub(crate) fn recurs(p: &Prepared, stats: &FeedStats) -> bool {
    evidence(p, stats) != Evidence::None
}

/// One flag per block: whether it folds as boilerplate. `blocks` must be prepared with digits
/// folded. A frequent block folds at the article's edges (the leading and trailing runs of
/// frequent or empty blocks); in the middle only when its whole text is frequent, it is short and
/// it is neither a heading nor a table row.
pub(crate) fn boilerplate(
    blocks: &[Prepared],
    kinds: &[PieceKind],
    stats: &FeedStats,
) -> Vec<bool> {
    let evidence: Vec<Evidence> = blocks
        .iter()
        .zip(kinds)
        .map(|(p, &k)| {
            if k == PieceKind::Code {
                Evidence::None
            } else {
                evidence(p, stats)
            }
        })
        .collect();
    let edge_like = |i: usize| {
        evidence[i] != Evidence::None || (blocks[i].len() == 0 && kinds[i] != PieceKind::Code)
    };
    let n = blocks.len();
    let lead = (0..n).take_while(|&i| edge_like(i)).count();
    let trail_start = n - (0..n).rev().take_while(|&i| edge_like(i)).count();
    (0..n)
        .map(|i| match evidence[i] {
            Evidence::None => false,
            _ if i < lead || i >= trail_start => true,
            Evidence::Template => false,
            Evidence::Text => {
                blocks[i].len() <= MIDDLE_MAX_WORDS
                    && !matches!(kinds[i], PieceKind::Heading | PieceKind::TableRow)
            }
        })
        .collect()
}
