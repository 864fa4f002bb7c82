//! Where each pane sits on the screen. Both the update function (page sizes, mouse hits, article
//! wrapping) and the drawing code use this one function, so they always agree.

use ratatui::layout::Rect;

use crate::app::state::Focus;

/// The screen areas of the panes; a pane that is not shown has no area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    /// The feed list, with its border.
    pub feeds: Option<Rect>,
    /// The headline list, with its border.
    pub headlines: Option<Rect>,
    /// The article, with its border.
    pub article: Option<Rect>,
    /// The status line.
    pub status: Rect,
}

/// Lays out the panes: three side by side when `width >= wide_min`, else only the focused one.
pub fn panes(width: u16, height: u16, focus: Focus, wide_min: u16) -> Panes {
    let body_h = height.saturating_sub(1);
    let status = Rect::new(0, body_h, width, height.min(1));
    if width >= wide_min {
        let feeds_w = (width / 6).clamp(20, 32).min(width);
        let rest = width - feeds_w;
        let head_w = rest * 2 / 5;
        let art_w = rest - head_w;
        Panes {
            feeds: Some(Rect::new(0, 0, feeds_w, body_h)),
            headlines: Some(Rect::new(feeds_w, 0, head_w, body_h)),
            article: Some(Rect::new(feeds_w + head_w, 0, art_w, body_h)),
            status,
        }
    } else {
        let full = Some(Rect::new(0, 0, width, body_h));
        Panes {
            feeds: full.filter(|_| focus == Focus::Feeds),
            headlines: full.filter(|_| focus == Focus::Headlines),
            article: full.filter(|_| focus == Focus::Article),
            status,
        }
    }
}

/// The inside of a bordered pane.
pub fn inner(area: Rect) -> Rect {
    Rect::new(
        area.x.saturating_add(1),
        area.y.saturating_add(1),
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    )
}

/// The width article text is wrapped to inside a pane of this outer width (border and a margin).
pub fn article_text_width(outer_width: u16) -> usize {
    usize::from(outer_width.saturating_sub(4)).max(1)
}
