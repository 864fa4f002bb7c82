//! Where the open article's images are on screen, for a terminal graphics protocol: the pure
//! geometry that both the article pane (which leaves those cells blank) and the session (which
//! writes the protocol's escape sequences there after each frame) read, so that the two agree.
//!
//! Kitty images may be cut by the pane's edges (a placement shows a source rectangle of the
//! image); sixel and iTerm2 images are placed only when the whole image is in the pane, and a
//! partly scrolled-out one is drawn as half blocks meanwhile, so that no image ever draws over
//! the status line or another pane.

use std::sync::Arc;

use crate::app::images::mode_for;
use crate::app::protocol::Protocol;
use crate::app::screen::panes;
use crate::app::state::{Overlay, State};
use crate::config::ImageMode;
use crate::content::picture::Picture;
use crate::model::ItemId;

/// One image on screen, drawn with a graphics protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    /// The article it belongs to.
    pub item: ItemId,
    /// Its address (with `cols` and `rows`, what identifies the picture as encoded).
    pub url: String,
    /// Index of the image in [`crate::app::article::ArticleView::placed`].
    pub placed: usize,
    /// The decoded picture.
    pub picture: Arc<Picture>,
    /// Screen column of its left edge.
    pub x: u16,
    /// Screen row of its first visible row.
    pub y: u16,
    /// Its whole size in cells (as the half blocks it stands for).
    pub cols: u16,
    /// Its whole height in cells.
    pub rows: u16,
    /// The first of its rows on screen (more than 0 when scrolled out at the top).
    pub top: u16,
    /// How many of its rows are on screen.
    pub shown: u16,
}

impl Spot {
    /// Where it is and how much of it shows, without the picture: two spots with the same
    /// place need no new escape sequence.
    pub fn place(&self) -> (ItemId, &str, u16, u16, u16, u16, u16, u16) {
        let Spot {
            item,
            url,
            x,
            y,
            cols,
            rows,
            top,
            shown,
            ..
        } = self;
        (*item, url.as_str(), *x, *y, *cols, *rows, *top, *shown)
    }
}

/// The protocol the open article's images are drawn with: the terminal's, unless the article's
/// image mode (its feed's, else `[reader] images`) is `halfblocks`.
pub fn drawn_with(state: &State) -> Protocol {
    match state
        .article
        .as_ref()
        .map(|a| mode_for(state, a.item.feed_id))
    {
        Some(ImageMode::Auto) => state.protocol,
        _ => Protocol::Halfblocks,
    }
}

/// The open article's images that a graphics protocol draws now, top to bottom. Empty with
/// half blocks, while an overlay covers the screen, and when the article pane is not shown.
pub fn spots(state: &State) -> Vec<Spot> {
    let protocol = drawn_with(state);
    let covered = !matches!(state.overlay, None | Some(Overlay::Confirm { .. }));
    let (Some(a), Some(area)) = (&state.article, panes(state).article) else {
        return Vec::new();
    };
    if protocol == Protocol::Halfblocks || covered {
        return Vec::new();
    }
    let screen = ratatui::layout::Rect::new(0, 0, state.width, state.height);
    let inner = crate::app::geometry::inner(area.intersection(screen));
    let (x0, w) = (inner.x + 1, inner.width.saturating_sub(2));
    // Body line i is on screen row `first + i - scroll`.
    let first = a.header_lines.len() + 1;
    let mut out = Vec::new();
    for (n, p) in a.placed.iter().enumerate() {
        let rows = p.blocks.rows;
        let start = first + p.line;
        let end = start + usize::from(rows);
        let lo = start.max(a.scroll);
        let hi = end.min(a.scroll + usize::from(inner.height));
        let fits = p.x + usize::from(p.blocks.cols) <= usize::from(w);
        if lo >= hi || !fits {
            continue;
        }
        let (top, shown) = ((lo - start) as u16, (hi - lo) as u16);
        if protocol != Protocol::Kitty && shown < rows {
            continue;
        }
        out.push(Spot {
            item: a.item.id,
            url: p.url.clone(),
            placed: n,
            picture: Arc::clone(&p.picture),
            x: x0 + p.x as u16,
            y: inner.y + (lo - a.scroll) as u16,
            cols: p.blocks.cols,
            rows,
            top,
            shown,
        });
    }
    out
}
