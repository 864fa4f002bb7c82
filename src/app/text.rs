//! The reader's window onto the content renderer: documents, laid-out lines and sanitising.
//!
//! TODO(lead): this is a temporary stand-in with the same names and shapes as the `content`
//! contract (`parse`, `layout`, `sanitize`, `sanitize_line`, `Document`, `Line`, `Span`, `Style`,
//! `LayoutOptions`). Once the `content` branch is merged, replace the body of this file with
//! `pub use crate::content::{...}` of those names; nothing else in `app` or `ui` needs to change.

use std::borrow::Cow;

use crate::model::BodyKind;

/// Semantic flags of a run of text; the interface maps them to theme styles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Strong text.
    pub bold: bool,
    /// Emphasised text.
    pub italic: bool,
    /// Code.
    pub code: bool,
    /// Secondary text.
    pub dim: bool,
    /// A link or its number.
    pub link: bool,
    /// A heading.
    pub heading: bool,
    /// Quoted text.
    pub quote: bool,
    /// A fold marker for repeated blocks.
    pub folded: bool,
}

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The text, already sanitised.
    pub text: String,
    /// How it looks.
    pub style: Style,
}

/// One screen line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Line {
    /// The runs of the line.
    pub spans: Vec<Span>,
}

/// How to lay a document out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutOptions {
    /// Width of the pane in columns.
    pub width: usize,
    /// Maximum reading width.
    pub max_width: Option<usize>,
    /// Centre the text in the pane.
    pub center: bool,
    /// Show every block, repeated or not.
    pub raw: bool,
}

/// A parsed body: paragraphs and the numbered links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Paragraphs of plain text.
    pub blocks: Vec<String>,
    /// Link targets, link n at index n-1.
    pub links: Vec<String>,
}

/// Parses a body into paragraphs (a crude stand-in: tags are dropped, `href`s collected).
pub fn parse(raw: &str, kind: BodyKind, _base: Option<&str>) -> Document {
    let mut doc = Document::default();
    if kind == BodyKind::Text {
        doc.blocks = raw
            .split("\n\n")
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        return doc;
    }
    let mut cur = String::new();
    let mut rest = raw;
    while let Some(lt) = rest.find('<') {
        cur.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let lower = tag.to_ascii_lowercase();
        if let Some(i) = lower.find("href=\"") {
            let v = &tag[i + 6..];
            if let Some(end) = v.find('"') {
                doc.links.push(v[..end].to_string());
                cur.push_str(&format!("[{}]", doc.links.len()));
            }
        }
        if lower.starts_with("/p") || lower.starts_with("br") || lower.starts_with("/h") {
            let p = cur.trim().to_string();
            if !p.is_empty() {
                doc.blocks.push(p);
            }
            cur.clear();
        }
        rest = &rest[lt + gt + 1..];
    }
    cur.push_str(rest);
    let p = cur.trim().to_string();
    if !p.is_empty() {
        doc.blocks.push(p);
    }
    for b in &mut doc.blocks {
        *b = b
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"");
    }
    doc
}

/// Wraps the paragraphs to the pane, at most `max_width` wide, optionally centred.
pub fn layout(doc: &Document, hidden: &[bool], opts: &LayoutOptions) -> Vec<Line> {
    let width = opts
        .max_width
        .map_or(opts.width, |m| m.min(opts.width))
        .max(10);
    let indent = if opts.center {
        " ".repeat(opts.width.saturating_sub(width) / 2)
    } else {
        String::new()
    };
    let mut out = Vec::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        if !opts.raw && hidden.get(i).copied().unwrap_or(false) {
            continue;
        }
        if !out.is_empty() {
            out.push(Line::default());
        }
        let clean = sanitize_line(block);
        for l in textwrap::wrap(&clean, width) {
            out.push(Line {
                spans: vec![Span {
                    text: format!("{indent}{l}"),
                    style: Style::default(),
                }],
            });
        }
    }
    out
}

fn is_unsafe(c: char) -> bool {
    let u = c as u32;
    u < 0x20 && c != '\n' && c != '\t'
        || (0x7f..=0x9f).contains(&u)
        || matches!(u, 0x200e | 0x200f | 0x061c | 0x202a..=0x202e | 0x2066..=0x2069)
}

/// Removes control characters (C0 but newline and tab, DEL, C1) and bidi controls; tabs become spaces.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if s.chars().any(|c| is_unsafe(c) || c == '\t') {
        Cow::Owned(
            s.chars()
                .filter(|&c| !is_unsafe(c))
                .map(|c| if c == '\t' { ' ' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(s)
    }
}

/// Like [`sanitize`], and newlines become spaces: for titles and other one-line strings.
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    let s = sanitize(s);
    if s.contains(['\n', '\r']) {
        Cow::Owned(s.replace(['\n', '\r'], " "))
    } else {
        s
    }
}
