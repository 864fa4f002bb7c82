//! The search prompt, drawn just above the status line; its title says where it searches.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear, Widget};

use crate::app::State;
use crate::app::state::Overlay;
use crate::ui::put;

/// Draws the search prompt with the text typed so far and a cursor mark.
pub fn draw(state: &State, input: &str, area: Rect, buf: &mut Buffer) {
    if area.height < 4 {
        return;
    }
    let r = Rect::new(area.x, area.bottom() - 4, area.width, 3);
    Clear.render(r, buf);
    let scope = match &state.overlay {
        Some(Overlay::Search { feed, in_feed, .. }) => {
            crate::app::search::scope_label(state, *feed, *in_feed)
        }
        _ => String::new(),
    };
    let block = Block::bordered().border_style(state.theme.border_focused);
    let inner = block.inner(r);
    block.render(r, buf);
    // The scope matters more than the key hints: they go first when room is short, then the
    // scope is cut, marked with "…".
    let room = r.width.saturating_sub(2);
    let full = format!(" Search {scope}; Enter searches, Esc cancels ");
    let title = if unicode_width::UnicodeWidthStr::width(full.as_str()) <= usize::from(room) {
        full
    } else {
        format!(" Search {scope} ")
    };
    put(buf, r.x + 1, r.y, &title, room, Default::default());
    let x = put(
        buf,
        inner.x,
        inner.y,
        "/",
        inner.width,
        state.theme.help_key,
    );
    let room = inner.right().saturating_sub(x + 1);
    let chars: Vec<char> = input.chars().collect();
    let skip = chars.len().saturating_sub(usize::from(room));
    let shown: String = chars[skip..].iter().collect();
    let x = put(buf, x, inner.y, &shown, room, Default::default());
    put(buf, x, inner.y, "_", 1, state.theme.selected);
}
