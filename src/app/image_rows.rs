//! Placing the decoded images of an article among its laid-out lines: rows of half blocks above
//! each image's alt text line, which stays as its caption. A graphics protocol draws the image
//! in the same rows (see [`crate::app::image_spots`]).

use std::sync::Arc;

use crate::app::text::{Line, Link, LinkKind};
use crate::content::picture::{HalfBlocks, Picture};

/// One image placed in the article's lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// Index in [`ArticleView::lines`] of its first row (its rows are blank lines).
    pub line: usize,
    /// Column of the pane's text area where it starts.
    pub x: usize,
    /// Its cells.
    pub blocks: HalfBlocks,
    /// Its address.
    pub url: String,
    /// The decoded picture (a graphics protocol draws it from its pixels).
    pub picture: Arc<Picture>,
}

/// Puts each decoded image above the line where its alt text starts (a span that starts
/// `[image`, followed on that line or the next few by its `[n]` reference): blank lines to
/// draw it over, `max_rows` at most, as wide as the reading column allows.
pub fn place(
    lines: &mut Vec<Line>,
    links: &[Link],
    pictures: &[(String, Arc<Picture>)],
    width: usize,
    max_rows: u16,
) -> Vec<Placed> {
    let mut placed = Vec::new();
    if pictures.is_empty() {
        return placed;
    }
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if let Some(x) = image_start(line)
            && let Some(n) = reference(&lines[i..(i + 4).min(lines.len())])
            && let Some(link) = links.get(n.wrapping_sub(1))
            && link.kind == LinkKind::Image
            && let Some((url, pic)) = pictures.iter().find(|(u, _)| *u == link.url)
            && let Some(blocks) = pic.half_blocks(width.saturating_sub(x), usize::from(max_rows))
        {
            placed.push(Placed {
                line: out.len(),
                x,
                blocks: blocks.clone(),
                url: url.clone(),
                picture: Arc::clone(pic),
            });
            out.extend(std::iter::repeat_n(
                Line::default(),
                usize::from(blocks.rows),
            ));
        }
        out.push(lines[i].clone());
        i += 1;
    }
    *lines = out;
    placed
}

/// The column where an image's alt text starts on `line`, if it does.
fn image_start(line: &Line) -> Option<usize> {
    let mut x = 0;
    for span in &line.spans {
        if span.style.italic && span.text.starts_with("[image") {
            return Some(x);
        }
        x += unicode_width::UnicodeWidthStr::width(span.text.as_str());
    }
    None
}

/// The first `[n]` reference in `lines` (a dim span of its own).
fn reference(lines: &[Line]) -> Option<usize> {
    lines.iter().flat_map(|l| &l.spans).find_map(|s| {
        let n = s.text.strip_prefix('[')?.strip_suffix(']')?;
        (s.style.dim && !n.is_empty()).then(|| n.parse().ok())?
    })
}
