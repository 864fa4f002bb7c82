//! Blocks to deduplication pieces, and the fold decision for a whole document: which blocks are
//! hidden behind a "repeated paragraphs hidden" line, and the fingerprint an item contributes to
//! its feed's statistics. Pure: no I/O.

use super::block::{BlockKind, Document};
use super::dedup::{self, DedupOptions, FeedStats, FoldReason, ItemFingerprint, PieceKind};
use super::link_refs::text_without_refs;
use crate::model::BodyKind;

/// The piece kind the deduplicator sees for a block kind. Tables are one piece (their rows
/// joined), rules and images are [`PieceKind::Other`], preformatted text is code and never folds.
pub fn piece_kind(kind: &BlockKind) -> PieceKind {
    match kind {
        BlockKind::Heading(_) => PieceKind::Heading,
        BlockKind::Paragraph => PieceKind::Paragraph,
        BlockKind::ListItem { .. } => PieceKind::ListItem,
        BlockKind::Quote { .. } => PieceKind::Quote,
        BlockKind::Pre => PieceKind::Code,
        BlockKind::Table(_) => PieceKind::TableRow,
        BlockKind::Caption => PieceKind::Caption,
        BlockKind::Rule | BlockKind::Image => PieceKind::Other,
    }
}

/// The text and piece kind of every block, in order (one entry per block).
pub fn block_texts(doc: &Document) -> Vec<(String, PieceKind)> {
    doc.blocks
        .iter()
        .map(|b| (b.text(), piece_kind(&b.kind)))
        .collect()
}

/// Why each block of `doc` folds (`None`: shown); one entry per block. `stats` are the item's
/// feed statistics, when known; `opts` says which kinds of folding are on. The item's title is
/// not known here: see [`fold_item_reasons`].
pub fn fold_reasons(
    doc: &Document,
    stats: Option<&FeedStats>,
    opts: &DedupOptions,
) -> Vec<Option<FoldReason>> {
    fold_item_reasons(doc, None, stats, opts)
}

/// Why each block of an item's body `doc` folds (`None`: shown); one entry per block. With the
/// item's `title`, a repeat of the title at the top of the body folds too.
pub fn fold_item_reasons(
    doc: &Document,
    title: Option<&str>,
    stats: Option<&FeedStats>,
    opts: &DedupOptions,
) -> Vec<Option<FoldReason>> {
    if !opts.within_article && !opts.boilerplate {
        return vec![None; doc.blocks.len()];
    }
    let texts = block_texts(doc);
    let pieces: Vec<dedup::Piece> = texts
        .iter()
        .map(|(t, k)| dedup::Piece::new(t, *k))
        .collect();
    let mut reasons = dedup::fold(&pieces, stats, opts);
    if let Some(title) = title {
        // A linked title carries a reference ("Title [1]"); the title itself does not.
        let plain: Vec<String> = doc.blocks.iter().map(text_without_refs).collect();
        let pieces: Vec<dedup::Piece> = plain
            .iter()
            .zip(&texts)
            .map(|(t, (_, k))| dedup::Piece::new(t, *k))
            .collect();
        dedup::fold_title(title, &pieces, &mut reasons, opts);
    }
    reasons
}

/// Which blocks of `doc` are hidden: the flags [`crate::content::layout`] takes.
pub fn fold_document(doc: &Document, stats: Option<&FeedStats>, opts: &DedupOptions) -> Vec<bool> {
    fold_item(doc, None, stats, opts)
}

/// Which blocks of an item's body `doc` are hidden, a repeat of its `title` at the top included:
/// the flags [`crate::content::layout`] takes.
pub fn fold_item(
    doc: &Document,
    title: Option<&str>,
    stats: Option<&FeedStats>,
    opts: &DedupOptions,
) -> Vec<bool> {
    fold_item_reasons(doc, title, stats, opts)
        .iter()
        .map(Option::is_some)
        .collect()
}

/// How many blocks the flags hide.
pub fn folded_count(hidden: &[bool]) -> usize {
    hidden.iter().filter(|&&h| h).count()
}

/// The fingerprint a parsed document contributes to its feed's statistics.
pub fn document_fingerprint(doc: &Document) -> ItemFingerprint {
    let texts = block_texts(doc);
    let pieces: Vec<dedup::Piece> = texts
        .iter()
        .map(|(t, k)| dedup::Piece::new(t, *k))
        .collect();
    FeedStats::item_fingerprint(&pieces)
}

/// Parses a raw body and returns its fingerprint: what an item contributes to its feed's
/// statistics. The refresh computes it while parsing, on the worker pool.
pub fn body_fingerprint(raw: &str, kind: BodyKind, base: Option<&str>) -> ItemFingerprint {
    document_fingerprint(&super::parse(raw, kind, base))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::block::{Block, Row, Table};
    use crate::content::style::Span;

    fn para(t: &str) -> Block {
        Block::new(BlockKind::Paragraph, vec![Span::plain(t)])
    }

    #[test]
    fn every_block_kind_maps_to_a_piece_kind() {
        let table = BlockKind::Table(Table {
            rows: vec![Row {
                cells: vec![vec![Span::plain("a")]],
                header: false,
            }],
        });
        let cases = [
            (BlockKind::Heading(2), PieceKind::Heading),
            (BlockKind::Paragraph, PieceKind::Paragraph),
            (
                BlockKind::ListItem {
                    depth: 0,
                    marker: crate::content::ListMarker::Bullet,
                    first: true,
                },
                PieceKind::ListItem,
            ),
            (BlockKind::Quote { depth: 1 }, PieceKind::Quote),
            (BlockKind::Pre, PieceKind::Code),
            (table, PieceKind::TableRow),
            (BlockKind::Caption, PieceKind::Caption),
            (BlockKind::Rule, PieceKind::Other),
            (BlockKind::Image, PieceKind::Other),
        ];
        for (block, piece) in cases {
            assert_eq!(piece_kind(&block), piece, "{block:?}");
        }
    }

    const LONG: &str = "The council voted on Tuesday to rebuild the old harbour wall before the \
                        winter storms, after engineers warned that the stones had shifted by \
                        almost a metre since the spring survey was taken.";

    #[test]
    fn a_repeated_article_folds_its_second_copy_only() {
        let doc = Document {
            blocks: vec![para(LONG), para("Short other text."), para(LONG)],
            links: Vec::new(),
        };
        let hidden = fold_document(&doc, None, &DedupOptions::default());
        assert_eq!(hidden, vec![false, false, true]);
        assert_eq!(folded_count(&hidden), 1);
        let off = DedupOptions {
            stories: true,
            within_article: false,
            boilerplate: true,
        };
        assert_eq!(fold_document(&doc, None, &off), vec![false; 3]);
    }

    #[test]
    fn feed_boilerplate_folds_with_stats_only() {
        let share = "Share this story on social media";
        let news = [
            "Apples are cheap",
            "Boats sail at dawn",
            "Cats nap",
            "Dogs bark",
            "Eels swim",
        ];
        let items: Vec<Document> = news
            .iter()
            .map(|n| Document {
                blocks: vec![para(n), para(share)],
                links: Vec::new(),
            })
            .collect();
        let mut stats = FeedStats::new();
        for d in &items {
            stats.add(&document_fingerprint(d));
        }
        let reasons = fold_reasons(&items[0], Some(&stats), &DedupOptions::default());
        assert_eq!(reasons, vec![None, Some(FoldReason::Boilerplate)]);
        assert_eq!(
            fold_document(&items[0], None, &DedupOptions::default()),
            vec![false, false]
        );
        let off = DedupOptions {
            stories: true,
            within_article: true,
            boilerplate: false,
        };
        assert_eq!(
            fold_document(&items[0], Some(&stats), &off),
            vec![false, false]
        );
    }

    #[test]
    fn body_fingerprints_parse_html() {
        let a = body_fingerprint(
            "<p>Share this story</p><pre>x = 1</pre>",
            BodyKind::Html,
            None,
        );
        let b = body_fingerprint("<p>Share this story</p>", BodyKind::Html, None);
        assert!(!a.hashes().is_empty());
        assert_eq!(a, b, "code blocks contribute nothing");
    }
}
