//! The open article as text for other programs: plain and unwrapped for a `pipe` command's
//! standard input, Markdown for the save action. Both take the blocks the pane shows (the raw
//! view shows them all; otherwise blocks deduplication folds are left out), one paragraph to a
//! line, so that the receiving program wraps them as it likes.

use crate::app::article::ArticleView;
use crate::content::{Block, BlockKind, ListMarker};

/// The blocks the pane shows, in order.
fn shown_blocks(view: &ArticleView) -> impl Iterator<Item = &Block> {
    view.doc
        .blocks
        .iter()
        .enumerate()
        .filter(|(i, _)| view.raw || !view.hidden.get(*i).copied().unwrap_or(false))
        .map(|(_, b)| b)
}

/// The header fields as `Label: value` lines, the title first and alone.
fn header_lines(view: &ArticleView) -> Vec<String> {
    view.header
        .iter()
        .map(|f| {
            if f.label.is_empty() {
                f.value.clone()
            } else {
                format!("{}: {}", f.label, f.value)
            }
        })
        .collect()
}

/// The article as the pane shows it, unwrapped: its header, a blank line, then each block on
/// one line (a pre block keeps its lines), blocks apart by a blank line.
pub fn plain_text(view: &ArticleView) -> String {
    let mut parts = vec![header_lines(view).join("\n")];
    for block in shown_blocks(view) {
        let text = block.text();
        let quote = quote_prefix(block);
        let line = match &block.kind {
            BlockKind::ListItem { depth, marker, .. } => {
                format!(
                    "{}{}{text}",
                    "  ".repeat(usize::from(*depth)),
                    bullet(*marker, "• ")
                )
            }
            BlockKind::Rule => "———".to_string(),
            _ => text,
        };
        parts.push(prefix_lines(&line, &quote));
    }
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

/// The article as Markdown: the title as a heading, the other header fields as a list, the
/// blocks in Markdown, and the body's numbered links as reference definitions (`[1]: url`).
pub fn markdown(view: &ArticleView) -> String {
    let mut parts = Vec::new();
    let mut fields = view.header.iter();
    if let Some(title) = fields.next() {
        parts.push(format!("# {}", title.value));
    }
    let meta: Vec<String> = fields
        .map(|f| format!("- {}: {}", f.label, f.value))
        .collect();
    if !meta.is_empty() {
        parts.push(meta.join("\n"));
    }
    for block in shown_blocks(view) {
        let text = block.text();
        let quote = quote_prefix(block);
        let md = match &block.kind {
            BlockKind::Heading(level) => {
                format!("{} {text}", "#".repeat(usize::from(*level).clamp(1, 5) + 1))
            }
            BlockKind::ListItem { depth, marker, .. } => {
                format!(
                    "{}{}{text}",
                    "  ".repeat(usize::from(*depth)),
                    bullet(*marker, "- ")
                )
            }
            BlockKind::Pre => format!("```\n{text}\n```"),
            BlockKind::Table(table) => table_markdown(table),
            BlockKind::Caption => format!("*{text}*"),
            BlockKind::Rule => "---".to_string(),
            _ => text,
        };
        parts.push(prefix_lines(&md, &quote));
    }
    let refs: Vec<String> = view
        .doc
        .links
        .iter()
        .enumerate()
        .map(|(i, l)| format!("[{}]: <{}>", i + 1, l.url))
        .collect();
    if !refs.is_empty() {
        parts.push(refs.join("\n"));
    }
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

/// A list item's marker: `bullet` for an unordered item, `N. ` for a numbered one, spaces for a
/// continuation.
fn bullet(marker: ListMarker, bullet: &str) -> String {
    match marker {
        ListMarker::Bullet => bullet.to_string(),
        ListMarker::Number(n) => format!("{n}. "),
        ListMarker::None => "  ".to_string(),
    }
}

/// The `> ` marks of the quotes a block sits in.
fn quote_prefix(block: &Block) -> String {
    let depth = match block.kind {
        BlockKind::Quote { depth } => depth.max(block.quote),
        _ => block.quote,
    };
    "> ".repeat(usize::from(depth))
}

/// Every line of `text` with `prefix` in front.
fn prefix_lines(text: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        return text.to_string();
    }
    text.lines()
        .map(|l| format!("{prefix}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A table as a Markdown table; its first row is the header.
fn table_markdown(table: &crate::content::Table) -> String {
    let cell = |spans: &[crate::content::Span]| -> String {
        spans
            .iter()
            .map(|s| s.text.as_str())
            .collect::<String>()
            .replace('|', "\\|")
    };
    let width = table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut lines = Vec::new();
    for (i, row) in table.rows.iter().enumerate() {
        let mut cells: Vec<String> = row.cells.iter().map(|c| cell(c)).collect();
        cells.resize(width, String::new());
        lines.push(format!("| {} |", cells.join(" | ")));
        if i == 0 {
            lines.push(format!("|{}", " --- |".repeat(width)));
        }
    }
    lines.join("\n")
}
