//! Plain-text bodies to blocks.
//!
//! When the text has blank lines, each blank-line separated run is a paragraph and the single
//! newlines inside a run are joined; without blank lines each line is a paragraph. Either way a
//! line starting with `- `, `* ` or a number and `. ` (or `) `) starts a list item, whose depth
//! follows its indentation (two spaces a level).

use super::block::{Block, BlockKind, Document, ListMarker};
use super::inline::Inline;
use super::sanitize::sanitize;
use super::style::Style;

/// Parses a plain-text body into blocks (plain text has no links).
pub fn parse_text(raw: &str) -> Document {
    let clean = sanitize(raw);
    let runs = clean.lines().any(|l| l.trim().is_empty())
        && clean
            .lines()
            .filter(|l| !l.trim().is_empty())
            .nth(1)
            .is_some();
    let mut blocks = Vec::new();
    let mut current: Option<(BlockKind, Inline)> = None;
    let mut after_blank = true;
    for line in clean.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            finish(&mut blocks, current.take());
            after_blank = true;
            continue;
        }
        let blank_before = std::mem::replace(&mut after_blank, false);
        if let Some((kind, rest)) = list_item(line, blank_before) {
            finish(&mut blocks, current.take());
            let mut inline = Inline::new();
            inline.push_text(rest, Style::PLAIN);
            current = Some((kind, inline));
        } else if let Some((_, inline)) = current.as_mut().filter(|_| runs) {
            inline.push_text(" ", Style::PLAIN);
            inline.push_text(trimmed, Style::PLAIN);
        } else {
            finish(&mut blocks, current.take());
            let mut inline = Inline::new();
            inline.push_text(trimmed, Style::PLAIN);
            current = Some((BlockKind::Paragraph, inline));
        }
    }
    finish(&mut blocks, current.take());
    Document {
        blocks,
        links: Vec::new(),
    }
}

fn finish(blocks: &mut Vec<Block>, current: Option<(BlockKind, Inline)>) {
    if let Some((kind, mut inline)) = current
        && !inline.is_empty()
    {
        blocks.push(Block::new(kind, inline.take()));
    }
}

/// Recognises a list item line: its kind and the text after the marker.
/// `first` marks an item that follows a blank line (a new list).
fn list_item(line: &str, first: bool) -> Option<(BlockKind, &str)> {
    let body = line.trim_start();
    let indent = line.len() - body.len();
    let depth = (indent / 2).min(8) as u8;
    if let Some(rest) = body.strip_prefix("- ").or_else(|| body.strip_prefix("* ")) {
        return Some((
            BlockKind::ListItem {
                depth,
                marker: ListMarker::Bullet,
                first,
            },
            rest,
        ));
    }
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) {
        let rest = &body[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            let n = body[..digits].parse().unwrap_or(1);
            return Some((
                BlockKind::ListItem {
                    depth,
                    marker: ListMarker::Number(n),
                    first,
                },
                rest,
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &Document) -> Vec<String> {
        doc.blocks.iter().map(Block::text).collect()
    }

    #[test]
    fn blank_lines_separate_paragraphs_and_newlines_join() {
        let doc = parse_text("First line\nstill first.\n\nSecond\r\n  para.\n\n\n");
        assert_eq!(texts(&doc), vec!["First line still first.", "Second para."]);
    }

    #[test]
    fn without_blank_lines_each_line_is_a_paragraph() {
        let doc = parse_text("one\ntwo\n three ");
        assert_eq!(texts(&doc), vec!["one", "two", "three"]);
        assert!(doc.blocks.iter().all(|b| b.kind == BlockKind::Paragraph));
    }

    #[test]
    fn list_lines_become_items() {
        let doc =
            parse_text("Intro:\n- apples\n* pears\n  - small\n\n1. first\n2) second\n10. tenth");
        assert_eq!(
            texts(&doc),
            vec![
                "Intro:", "apples", "pears", "small", "first", "second", "tenth"
            ]
        );
        let kinds: Vec<_> = doc.blocks.iter().map(|b| b.kind.clone()).collect();
        assert_eq!(kinds[0], BlockKind::Paragraph);
        assert_eq!(
            kinds[3],
            BlockKind::ListItem {
                depth: 1,
                marker: ListMarker::Bullet,
                first: false
            }
        );
        assert_eq!(
            kinds[6],
            BlockKind::ListItem {
                depth: 0,
                marker: ListMarker::Number(10),
                first: false
            }
        );
    }

    #[test]
    fn text_is_sanitised() {
        let doc = parse_text("\u{1b}[31mred\u{1b}[0m\tand\u{202e}plain");
        assert_eq!(texts(&doc), vec!["red andplain"]);
    }
}
