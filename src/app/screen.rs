//! How the state meets the screen: the panes for the current size and focus, the rows and columns
//! each pane holds, and re-fitting selections, scroll positions and the article to them. The
//! update function, the actions, the views and the drawing code all size things through here,
//! so that they agree.

use crate::app::geometry::{self, Panes};
use crate::app::state::{Focus, State};

/// The screen layout for the current size and focus.
pub fn panes(state: &State) -> Panes {
    geometry::panes(state.width, state.height, state.focus, &state.settings)
}

fn inner_height(area: Option<ratatui::layout::Rect>, fallback: u16) -> u64 {
    let h = area.map_or(fallback, |a| geometry::inner(a).height);
    u64::from(h.max(1))
}

/// Rows of the headline list on screen (as if it were shown, in the narrow layout).
pub fn list_height(state: &State) -> u64 {
    let p = geometry::panes(state.width, state.height, Focus::Headlines, &state.settings);
    inner_height(p.headlines, 1)
}

/// Rows of the feed list on screen (as if it were shown).
pub fn feed_height(state: &State) -> usize {
    let p = geometry::panes(state.width, state.height, Focus::Feeds, &state.settings);
    inner_height(p.feeds, 1) as usize
}

/// The article pane: where it is in the current layout, else where it would be while reading.
fn article_area(state: &State) -> Option<ratatui::layout::Rect> {
    panes(state).article.or_else(|| {
        geometry::panes(state.width, state.height, Focus::Article, &state.settings).article
    })
}

/// Lines of article text on screen (as if it were shown).
pub fn article_height(state: &State) -> usize {
    inner_height(article_area(state), 1) as usize
}

/// The width article text wraps to: that of the pane as it is now (a preview beside a focused
/// headline list is narrower than the article being read).
pub fn article_width(state: &State) -> usize {
    geometry::article_text_width(article_area(state).map_or(state.width, |a| a.width))
}

/// Keeps the feed selection on screen.
pub fn keep_feed_visible(state: &mut State) {
    let h = feed_height(state);
    if state.feed_selected < state.feed_scroll {
        state.feed_scroll = state.feed_selected;
    } else if state.feed_selected >= state.feed_scroll + h {
        state.feed_scroll = state.feed_selected + 1 - h;
    }
}

/// Re-fits everything to the current size: selections stay, scroll positions follow them.
pub fn relayout(state: &mut State) {
    let h = list_height(state);
    state.list.keep_visible(h);
    keep_feed_visible(state);
    let width = article_width(state);
    let ah = article_height(state);
    let (max_width, center) = (state.settings.text_width(), state.settings.center);
    if let Some(a) = &mut state.article {
        if a.width != width {
            a.relayout(width, max_width, center);
        }
        a.scroll_by(0, ah);
    }
}
