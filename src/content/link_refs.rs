//! The links of folded blocks: a link that only folded blocks carry is as hidden as they are, so
//! the link lists leave it out (the raw view, which shows every block, lists every link).
//!
//! A block carries a link through its reference, `[n]` in the dim style the parser gives
//! references alone (at parse time nothing else in a block is dim).

use super::block::{Block, BlockKind, Document};
use super::style::Span;

/// Calls `f` with every reference number `[n]` in the dim spans of `spans`.
fn refs_in(spans: &[Span], f: &mut impl FnMut(usize)) {
    for span in spans.iter().filter(|s| s.style.dim) {
        for_each_ref(&span.text, |_, n| f(n));
    }
}

/// Calls `f` with the byte range of the digits and the number of every `[n]` in `text`.
fn for_each_ref(text: &str, mut f: impl FnMut(std::ops::Range<usize>, usize)) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'[' {
            let start = i + 1;
            let mut j = start;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j > start
                && j < b.len()
                && b[j] == b']'
                && let Ok(n) = text[start..j].parse::<usize>()
            {
                f(start..j, n);
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
}

/// Calls `f` with each run of spans of block `i` (its spans, or each table cell).
fn block_spans<'a>(doc: &'a Document, i: usize, mut f: impl FnMut(&'a [Span])) {
    let block = &doc.blocks[i];
    if let BlockKind::Table(t) = &block.kind {
        for row in &t.rows {
            for cell in &row.cells {
                f(cell);
            }
        }
    }
    f(&block.spans);
}

/// The text of `block` without its link references: the text of its spans that are not dim (a
/// table's text as [`Block::text`] gives it).
pub fn text_without_refs(block: &Block) -> String {
    if matches!(block.kind, BlockKind::Table(_)) {
        return block.text();
    }
    let mut out = String::new();
    for span in block.spans.iter().filter(|s| !s.style.dim) {
        out.push_str(&span.text);
    }
    out
}

/// The searchable text of a document: each block's text without its link references (see
/// [`text_without_refs`]; the space a reference leaves beside another is dropped), one block per
/// line, empty blocks left out. The search index and the `text` filter's words are made from it,
/// so that they come from the one parse the digests use. Written straight from the spans, with
/// no string per block.
pub fn searchable_text(doc: &Document) -> String {
    // Room for the blocks' text and a line break after each (about what it comes to), so
    // that the text does not grow by doubling as it is written.
    let room: usize = doc
        .blocks
        .iter()
        .map(|b| 1 + b.spans.iter().map(|s| s.text.len()).sum::<usize>())
        .sum();
    let mut out = String::with_capacity(room);
    for block in &doc.blocks {
        let before = out.len();
        if !out.is_empty() {
            out.push('\n');
        }
        let line = out.len();
        if matches!(block.kind, BlockKind::Table(_)) {
            out.push_str(block.text().trim());
        } else {
            for span in block.spans.iter().filter(|s| !s.style.dim) {
                let mut text = span.text.as_str();
                if out.len() == line || out.ends_with(' ') {
                    text = text.trim_start_matches(' ');
                }
                out.push_str(text);
            }
            let kept = out.trim_end().len().max(line);
            out.truncate(kept);
        }
        if out.len() == line {
            out.truncate(before);
        }
    }
    out
}

/// For each link of `doc` (index `n - 1` for reference `[n]`), whether only folded blocks carry
/// it: some block `hidden` flags refers to it and no shown block does.
pub fn folded_only_links(doc: &Document, hidden: &[bool]) -> Vec<bool> {
    let n = doc.links.len();
    let (mut in_shown, mut in_folded) = (vec![false; n], vec![false; n]);
    for i in 0..doc.blocks.len() {
        let seen = if hidden.get(i).copied().unwrap_or(false) {
            &mut in_folded
        } else {
            &mut in_shown
        };
        block_spans(doc, i, |spans| {
            refs_in(spans, &mut |r| {
                if let Some(s) = r.checked_sub(1).and_then(|k| seen.get_mut(k)) {
                    *s = true;
                }
            })
        });
    }
    in_folded
        .iter()
        .zip(&in_shown)
        .map(|(&f, &s)| f && !s)
        .collect()
}

/// Numbers `doc`'s links again so that those only folded blocks carry come last, every other
/// link keeping its order, and rewrites the references to match; returns how many links come
/// first (the ones a reader of the shown blocks can see).
pub fn shown_links_first(doc: &mut Document, hidden: &[bool]) -> usize {
    let folded_only = folded_only_links(doc, hidden);
    let shown = folded_only.iter().filter(|&&f| !f).count();
    if shown == doc.links.len() {
        return shown;
    }
    // new_number[old - 1] = new
    let mut new_number = vec![0usize; doc.links.len()];
    let mut order: Vec<usize> = (0..doc.links.len()).filter(|&k| !folded_only[k]).collect();
    order.extend((0..doc.links.len()).filter(|&k| folded_only[k]));
    for (new, &old) in order.iter().enumerate() {
        new_number[old] = new + 1;
    }
    let links = std::mem::take(&mut doc.links);
    doc.links = order.iter().map(|&k| links[k].clone()).collect();
    let renumber = |spans: &mut Vec<Span>| {
        for span in spans.iter_mut().filter(|s| s.style.dim) {
            let mut out = String::with_capacity(span.text.len());
            let mut last = 0;
            for_each_ref(&span.text, |range, n| {
                if let Some(&m) = n.checked_sub(1).and_then(|k| new_number.get(k)) {
                    out.push_str(&span.text[last..range.start]);
                    out.push_str(&m.to_string());
                    last = range.end;
                }
            });
            out.push_str(&span.text[last..]);
            span.text = out;
        }
    };
    for block in &mut doc.blocks {
        if let BlockKind::Table(t) = &mut block.kind {
            for row in &mut t.rows {
                for cell in &mut row.cells {
                    renumber(cell);
                }
            }
        }
        renumber(&mut block.spans);
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{BodyKind, parse};

    fn texts(doc: &Document) -> Vec<String> {
        doc.blocks.iter().map(Block::text).collect()
    }

    fn urls(doc: &Document) -> Vec<&str> {
        doc.links.iter().map(|l| l.url.as_str()).collect()
    }

    #[test]
    fn links_of_folded_blocks_only_go_last_and_references_follow() {
        let mut doc = parse(
            "<p>Shown <a href='https://a.test/'>a</a> and <a href='https://b.test/'>b</a>.</p>\
             <p>Folded <a href='https://c.test/'>c</a> and <a href='https://b.test/'>b</a>.</p>\
             <p>Shown again <a href='https://d.test/'>d</a> <img src='https://e.test/i.png' alt='e'></p>",
            BodyKind::Html,
            None,
        );
        assert_eq!(
            urls(&doc),
            vec![
                "https://a.test/",
                "https://b.test/",
                "https://c.test/",
                "https://d.test/",
                "https://e.test/i.png"
            ]
        );
        let hidden = [false, true, false];
        assert_eq!(
            folded_only_links(&doc, &hidden),
            vec![false, false, true, false, false]
        );
        assert_eq!(shown_links_first(&mut doc, &hidden), 4);
        assert_eq!(
            urls(&doc),
            vec![
                "https://a.test/",
                "https://b.test/",
                "https://d.test/",
                "https://e.test/i.png",
                "https://c.test/"
            ]
        );
        assert_eq!(
            texts(&doc),
            vec![
                "Shown a [1] and b [2].",
                "Folded c [5] and b [2].",
                "Shown again d [3] [image: e] [4]"
            ]
        );
    }

    #[test]
    fn nothing_folded_changes_nothing() {
        let html = "<p>Text with [7] in it and <a href='https://a.test/'>a</a>.</p>\
                    <table><tr><td><a href='https://t.test/'>cell</a></td></tr></table>";
        let mut doc = parse(html, BodyKind::Html, None);
        let before = doc.clone();
        assert_eq!(shown_links_first(&mut doc, &[false, false]), 2);
        assert_eq!(shown_links_first(&mut doc, &[]), 2);
        assert_eq!(doc, before);
        // A table cell's link counts for its block; plain "[7]" in the text is no reference.
        assert_eq!(folded_only_links(&doc, &[false, true]), vec![false, true]);
        assert_eq!(shown_links_first(&mut doc, &[true, false]), 1);
        assert_eq!(urls(&doc), vec!["https://t.test/", "https://a.test/"]);
        assert_eq!(texts(&doc)[0], "Text with [7] in it and a [2].");
    }
}
