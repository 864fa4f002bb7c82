//! Blocks: the parsed form of an item body, before layout. Deduplication works on these.

use super::links::Link;
use super::style::Span;

/// A parsed body: its blocks in reading order, and the numbered link list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Blocks in reading order.
    pub blocks: Vec<Block>,
    /// Links and images with their text, URLs absolute and sanitised; reference `[n]` is
    /// `links[n - 1]`.
    pub links: Vec<Link>,
}

/// One block of a body: a heading, a paragraph, a list item, a table...
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// What kind of block this is.
    pub kind: BlockKind,
    /// Inline content, sanitised; may hold `'\n'` for hard line breaks (and lines of pre blocks).
    /// Empty for tables and rules.
    pub spans: Vec<Span>,
    /// How many block quotes this block sits in (0 outside quotes).
    pub quote: u8,
}

/// The kind of a block, which decides how it is laid out.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    /// A heading of level 1 to 6.
    Heading(u8),
    /// A paragraph of running text.
    Paragraph,
    /// A list item at a nesting depth (0 for a top-level list) with its marker.
    ListItem {
        /// Nesting depth, 0 for a top-level list.
        depth: u8,
        /// The bullet, the number, or none for a continuation paragraph of the same item.
        marker: ListMarker,
        /// Whether this is the first item of a top-level list, which a blank line separates
        /// from a list just before it.
        first: bool,
    },
    /// A paragraph inside block quotes, `depth` deep.
    Quote {
        /// Quote nesting depth, at least 1.
        depth: u8,
    },
    /// Preformatted text (`<pre>`): never re-wrapped, long lines continue after a `↪` mark.
    Pre,
    /// A table: laid out as columns when it fits, else as columns whose cells wrap, else (when
    /// a column would get under 8 cells) one wrapped block per row.
    Table(Table),
    /// A figure or table caption.
    Caption,
    /// A horizontal rule.
    Rule,
    /// An image, shown as `[image: alt]` with its reference.
    Image,
}

/// The marker in front of a list item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListMarker {
    /// An unordered item.
    Bullet,
    /// An ordered item with its number.
    Number(u32),
    /// A further paragraph of the item above: indented, no marker.
    None,
}

/// A table's rows, each a list of cells of inline content.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Rows in order.
    pub rows: Vec<Row>,
}

/// One table row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// Cells in order, each its inline content (single line, sanitised).
    pub cells: Vec<Vec<Span>>,
    /// Whether every cell is a header cell (`<th>`).
    pub header: bool,
}

impl Block {
    /// Builds a block outside any quote.
    pub fn new(kind: BlockKind, spans: Vec<Span>) -> Self {
        Block {
            kind,
            spans,
            quote: 0,
        }
    }

    /// The plain text of the block, for deduplication: spans concatenated; table cells joined
    /// with `" | "` and rows with newlines.
    pub fn text(&self) -> String {
        match &self.kind {
            BlockKind::Table(table) => table
                .rows
                .iter()
                .map(|row| {
                    row.cells
                        .iter()
                        .map(|cell| spans_text(cell))
                        .collect::<Vec<_>>()
                        .join(" | ")
                })
                .collect::<Vec<_>>()
                .join("\n"),
            _ => spans_text(&self.spans),
        }
    }

    /// Whether this is a code block (whose text deduplication may treat differently).
    pub fn is_code(&self) -> bool {
        matches!(self.kind, BlockKind::Pre)
    }
}

/// The concatenated text of some spans.
pub(crate) fn spans_text(spans: &[Span]) -> String {
    let mut out = String::with_capacity(spans.iter().map(|s| s.text.len()).sum());
    for span in spans {
        out.push_str(&span.text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::style::Style;

    #[test]
    fn text_joins_spans_and_table_cells() {
        let bold = Style {
            bold: true,
            ..Style::PLAIN
        };
        let para = Block::new(
            BlockKind::Paragraph,
            vec![Span::plain("a "), Span::new("b", bold)],
        );
        assert_eq!(para.text(), "a b");
        assert!(!para.is_code());
        let table = Block::new(
            BlockKind::Table(Table {
                rows: vec![
                    Row {
                        cells: vec![vec![Span::plain("x")], vec![Span::plain("y")]],
                        header: true,
                    },
                    Row {
                        cells: vec![vec![Span::plain("1")], vec![]],
                        header: false,
                    },
                ],
            }),
            Vec::new(),
        );
        assert_eq!(table.text(), "x | y\n1 | ");
        assert!(Block::new(BlockKind::Pre, vec![]).is_code());
    }
}
