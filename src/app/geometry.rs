//! Where each pane sits on the screen. Both the update function (page sizes, mouse hits, article
//! wrapping) and the drawing code use this one function, so they always agree.

use ratatui::layout::Rect;

use crate::app::state::Focus;
use crate::config::ReaderSettings;

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

/// Columns the headline pane takes first, when it has the keyboard, before a preview gets any.
const HEADLINES_WANT: u16 = 100;

/// The narrowest article preview worth showing; narrower, the preview hides.
const PREVIEW_MIN: u16 = 30;

/// The narrowest the headline pane gets beside an article being read.
const HEADLINES_MIN: u16 = 30;

/// Lays out the panes. Side by side (at least `side_by_side_min_width` columns), the feed pane
/// takes at most `feed_pane_width`; while an article is read it takes `max_width` plus its border
/// and margins (and the feed pane hides when `hide_feeds_while_reading`); otherwise the headlines
/// come first and the article narrows to a preview, or hides when too little is left. Narrower
/// terminals show only the focused pane.
pub fn panes(width: u16, height: u16, focus: Focus, settings: &ReaderSettings) -> Panes {
    let body_h = height.saturating_sub(1);
    let status = Rect::new(0, body_h, width, height.min(1));
    if width < settings.side_by_side_min_width.max(2) {
        let full = Some(Rect::new(0, 0, width, body_h));
        return Panes {
            feeds: full.filter(|_| focus == Focus::Feeds),
            headlines: full.filter(|_| focus == Focus::Headlines),
            article: full.filter(|_| focus == Focus::Article),
            status,
        };
    }
    let feeds_w = settings
        .feed_pane_width
        .clamp(8, (width / 3).max(8))
        .min(width);
    let reading = focus == Focus::Article;
    let show_feeds = !(reading && settings.hide_feeds_while_reading);
    let left = if show_feeds { feeds_w } else { 0 };
    let rest = width - left;
    let (head_w, art_w) = if reading {
        let text = settings.text_width().map_or(rest * 3 / 5, |w| {
            u16::try_from(w.saturating_add(4)).unwrap_or(u16::MAX)
        });
        let art_w = text.min(rest.saturating_sub(HEADLINES_MIN)).max(rest / 2);
        (rest - art_w, art_w)
    } else {
        let head_w = rest.min(HEADLINES_WANT.max(rest * 3 / 5));
        match rest - head_w {
            art if art >= PREVIEW_MIN => (head_w, art),
            _ => (rest, 0),
        }
    };
    Panes {
        feeds: Some(Rect::new(0, 0, left, body_h)).filter(|_| show_feeds),
        headlines: Some(Rect::new(left, 0, head_w, body_h)),
        article: Some(Rect::new(left + head_w, 0, art_w, body_h)).filter(|_| art_w > 0),
        status,
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
