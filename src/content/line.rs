//! Laid-out lines and the options that shape them.

use super::style::Span;
use super::wrap::str_width;

/// How to lay a document out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutOptions {
    /// Width of the area in terminal columns; no line is wider.
    pub width: usize,
    /// Width of the reading column, when narrower than `width` (the config's default is 80).
    pub max_width: Option<usize>,
    /// Centre the reading column in `width` by padding lines on the left.
    pub center: bool,
    /// Show folded (hidden) blocks too, marked with a gutter and the folded style.
    pub raw: bool,
}

impl LayoutOptions {
    /// Options for exactly `width` columns: no reading column, no centring, nothing shown raw.
    pub fn new(width: usize) -> Self {
        LayoutOptions {
            width,
            max_width: None,
            center: false,
            raw: false,
        }
    }

    /// The left padding and the width of the reading column (at least one column).
    pub fn column(&self) -> (usize, usize) {
        let width = self.width.max(1);
        let col = self.max_width.map_or(width, |m| m.clamp(1, width));
        let pad = if self.center { (width - col) / 2 } else { 0 };
        (pad, col)
    }
}

/// One laid-out line: styled spans, prefixes and padding included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    /// The spans, left to right.
    pub spans: Vec<Span>,
}

impl Line {
    /// The line's text without styles.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        for span in &self.spans {
            out.push_str(&span.text);
        }
        out
    }

    /// The line's display width in terminal columns.
    pub fn width(&self) -> usize {
        self.spans.iter().map(|s| str_width(&s.text)).sum()
    }
}

/// Joins lines into text: one line per `'\n'`, trailing spaces trimmed, no final newline.
pub fn to_plain_text(lines: &[Line]) -> String {
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line.plain().trim_end_matches(' '));
    }
    out
}
