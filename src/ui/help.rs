//! The help overlay, generated from the key map: one row per action with its keys and the
//! binding's description.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::State;
use crate::ui::{overlay_box, put};

/// Draws the help overlay, scrolled by `scroll` rows.
pub fn draw(state: &State, scroll: usize, area: Rect, buf: &mut Buffer) {
    let rows = state.keymap.help_rows();
    let inner = overlay_box(
        state,
        "Keys (? or Esc closes, j/k scroll)",
        72,
        rows.len() as u16 + 2,
        area,
        buf,
    );
    let keys_w = 30u16.min(inner.width);
    let scroll = scroll.min(rows.len().saturating_sub(usize::from(inner.height)));
    for (row, (_, keys, desc)) in rows
        .iter()
        .skip(scroll)
        .take(usize::from(inner.height))
        .enumerate()
    {
        let y = inner.y + row as u16;
        let names: Vec<String> = keys.iter().map(ToString::to_string).collect();
        put(
            buf,
            inner.x + 1,
            y,
            &names.join(", "),
            keys_w.saturating_sub(2),
            state.theme.help_key,
        );
        put(
            buf,
            inner.x + keys_w,
            y,
            desc,
            inner.width.saturating_sub(keys_w),
            Default::default(),
        );
    }
}
