//! Deduplication of content blocks: decides, for each block of an article, whether it is shown or
//! folded behind a marker, and why. Pure: no I/O, deterministic.
//!
//! Three kinds of repetition are handled:
//!
//! 1. Within one article ([`FoldReason::Repeat`]): a block folds when the text already shown above
//!    it covers it, word 3-shingle by word 3-shingle, after normalisation (NFKC, case, punctuation,
//!    white space; digits kept). One short inserted sentence is allowed when it is promotional or
//!    boilerplate for the feed. Long blocks (25 words or more) fold on their own; shorter ones
//!    only inside a run of repeated blocks holding a long one, so that a whole repeated copy of an
//!    article folds with its headings while repeated labels and table headers stay. A block of 10
//!    or more words that repeats the start of a shown block and stops inside one of its sentences
//!    (a "Meta Description:" cut from the lead) folds too, label and all. With the item's title
//!    ([`fold_item`]), a repeat of the title at the top of the body folds ([`FoldReason::Title`]).
//! 2. Across one feed ([`FoldReason::Boilerplate`]): lines that at least 3 items and 20% of the
//!    feed's recent items carry ([`FeedStats`]), when short or at the article's edges.
//! 3. Across feeds: [`same_story`] tells whether two items tell the same story (equal links or
//!    guids, or near-identical bodies by [`minhash`]).
//!
//! Nothing is ever deleted: the caller shows a marker for every folded block.

mod boilerplate;
mod digest;
mod hash;
mod normalize;
mod promo;
mod shingle;
mod stats;
mod stories;
mod title;
mod truncated;
mod within;

pub use digest::{DigestInput, ItemDigest, digest_feed};
pub(crate) use hash::{HashMapU64, HashSetU64};
pub use stats::{FeedStats, ItemFingerprint, MIN_ITEMS, MIN_PERCENT};
pub use stories::{
    MINHASH_LEN, StoryInfo, minhash, minhash_of_shingles, minhash_similarity, same_story, story_key,
};

use shingle::Prepared;

/// The format of the digests the cache keeps (each item's [`ItemFingerprint`] hashes, its
/// [`StoryInfo`] keys and signature, and the band keys the store derives from them). Raise it with
/// any change that makes a stored digest differ from what this build would compute: the cache then
/// drops its stored digests and computes them again in the background.
pub const DIGEST_VERSION: u32 = 1;

/// What kind of block a piece of text comes from; it decides which rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PieceKind {
    /// A heading (`h1` to `h6`).
    Heading,
    /// A paragraph of running text.
    Paragraph,
    /// One item of a list.
    ListItem,
    /// A block quote.
    Quote,
    /// Preformatted text or code: never folds.
    Code,
    /// One row of a table.
    TableRow,
    /// A figure or image caption.
    Caption,
    /// Anything else that carries text.
    Other,
}

/// One block of an article as the deduplicator sees it: its plain text and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece<'a> {
    /// The block's text, without markup.
    pub text: &'a str,
    /// The kind of block.
    pub kind: PieceKind,
}

impl<'a> Piece<'a> {
    /// A piece of the given kind.
    pub fn new(text: &'a str, kind: PieceKind) -> Piece<'a> {
        Piece { text, kind }
    }

    /// A paragraph.
    pub fn paragraph(text: &'a str) -> Piece<'a> {
        Piece::new(text, PieceKind::Paragraph)
    }
}

/// Why a block is folded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FoldReason {
    /// It repeats text shown earlier in the same article.
    Repeat,
    /// It recurs across many items of the same feed (share buttons, promotions, footers).
    Boilerplate,
    /// It repeats the item's title at the top of the body (the reader shows the title above it).
    Title,
}

/// Which kinds of deduplication are on (all by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DedupOptions {
    /// Fold repeats within an article.
    pub within_article: bool,
    /// Fold feed boilerplate (needs [`FeedStats`]).
    pub boilerplate: bool,
    /// List a story that arrives through several feeds once (in the views that gather feeds).
    pub stories: bool,
}

impl Default for DedupOptions {
    fn default() -> Self {
        DedupOptions {
            within_article: true,
            boilerplate: true,
            stories: true,
        }
    }
}

/// Decides, for each piece in order, whether it is shown (`None`) or folded, and why, for a body
/// whose title is not known (see [`fold_item`]).
///
/// `stats` are the statistics of the item's feed (normally including this item); without them no
/// block is boilerplate. The result has exactly one entry per piece.
pub fn fold(
    pieces: &[Piece],
    stats: Option<&FeedStats>,
    opts: &DedupOptions,
) -> Vec<Option<FoldReason>> {
    fold_item(None, pieces, stats, opts)
}

/// Decides, for each piece of an item's body in order, whether it is shown (`None`) or folded, and
/// why; with the item's `title`, a repeat of it at the top of the body folds as well.
///
/// `stats` are the statistics of the item's feed (normally including this item); without them no
/// block is boilerplate. The result has exactly one entry per piece.
pub fn fold_item(
    title: Option<&str>,
    pieces: &[Piece],
    stats: Option<&FeedStats>,
    opts: &DedupOptions,
) -> Vec<Option<FoldReason>> {
    let stats = stats.filter(|s| opts.boilerplate && s.items() > 0);
    if !opts.within_article && stats.is_none() {
        return vec![None; pieces.len()];
    }
    let mut buf = String::new();
    let blocks: Vec<Prepared> = pieces
        .iter()
        .map(|p| {
            if p.kind == PieceKind::Code {
                Prepared::default()
            } else {
                Prepared::new(p.text, stats.is_some(), &mut buf)
            }
        })
        .collect();
    let kinds: Vec<PieceKind> = pieces.iter().map(|p| p.kind).collect();
    let boiler = match stats {
        Some(st) => boilerplate::boilerplate(&blocks, &kinds, st),
        None => vec![false; pieces.len()],
    };
    let repeat = if opts.within_article {
        let code: Vec<bool> = kinds.iter().map(|&k| k == PieceKind::Code).collect();
        let statuses = within::statuses(&blocks, &code, &boiler, stats);
        within::repeats(&statuses, &blocks)
    } else {
        vec![false; pieces.len()]
    };
    let mut reasons: Vec<Option<FoldReason>> = boiler
        .iter()
        .zip(&repeat)
        .map(|(&b, &r)| {
            if b {
                Some(FoldReason::Boilerplate)
            } else if r {
                Some(FoldReason::Repeat)
            } else {
                None
            }
        })
        .collect();
    if opts.within_article {
        let texts: Vec<&str> = pieces.iter().map(|p| p.text).collect();
        let folded: Vec<bool> = reasons.iter().map(Option::is_some).collect();
        let cut = truncated::truncated_copies(&texts, &blocks, &folded);
        mark(&mut reasons, &cut, FoldReason::Repeat);
    }
    if let Some(title) = title {
        fold_title(title, pieces, &mut reasons, opts);
    }
    reasons
}

/// Folds, as [`FoldReason::Title`], the pieces that repeat the item's `title` at the top of its
/// body and are still shown in `reasons` (when within-article folding is on). The pieces may be
/// other texts of the same blocks than [`fold`] saw: the content layer passes them without link
/// references, which a linked title carries and the title itself does not.
pub fn fold_title(
    title: &str,
    pieces: &[Piece],
    reasons: &mut [Option<FoldReason>],
    opts: &DedupOptions,
) {
    if !opts.within_article {
        return;
    }
    let folded: Vec<bool> = reasons.iter().map(Option::is_some).collect();
    let repeats = title::title_repeats(title, pieces, &folded);
    mark(reasons, &repeats, FoldReason::Title);
}

/// Folds, for `reason`, the blocks `flags` marks that are still shown.
fn mark(reasons: &mut [Option<FoldReason>], flags: &[bool], reason: FoldReason) {
    for (r, &f) in reasons.iter_mut().zip(flags) {
        if f && r.is_none() {
            *r = Some(reason);
        }
    }
}
