//! The filter prompt (`F`) and the prompt for a query's name (`W`), drawn just above the status
//! line like the search prompt.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear, Widget};

use crate::app::State;
use crate::ui::put;

/// Draws the prompt with the text typed so far and a cursor mark; `naming` for the query name.
pub fn draw(state: &State, input: &str, naming: bool, area: Rect, buf: &mut Buffer) {
    if area.height < 4 {
        return;
    }
    let r = Rect::new(area.x, area.bottom() - 4, area.width, 3);
    Clear.render(r, buf);
    let title = if naming {
        " Save as query: name (Enter saves, Esc cancels) "
    } else {
        " Filter (Enter narrows this view, Esc cancels) "
    };
    let block = Block::bordered()
        .border_style(state.theme.border_focused)
        .title(title);
    let inner = block.inner(r);
    block.render(r, buf);
    let mark = if naming { "name: " } else { "where " };
    let x = put(
        buf,
        inner.x,
        inner.y,
        mark,
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
