//! The filter prompt (`F`), the prompt for a query's name (`W`) and the feed edit prompts
//! (`c`, `t`), drawn just above the status line like the search prompt.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear, Widget};

use crate::app::State;
use crate::app::feed_edit::FeedField;
use crate::ui::put;

/// Draws the prompt with the text typed so far and a cursor mark; `naming` for the query name.
pub fn draw(state: &State, input: &str, naming: bool, area: Rect, buf: &mut Buffer) {
    let (title, mark) = if naming {
        (" Save as query: name (Enter saves, Esc cancels) ", "name: ")
    } else {
        (" Filter (Enter narrows this view, Esc cancels) ", "where ")
    };
    draw_box(state, title, mark, input, area, buf);
}

/// Draws the prompt that renames a feed or edits its tags (see [`crate::app::edit`]).
pub fn draw_edit(state: &State, field: FeedField, input: &str, area: Rect, buf: &mut Buffer) {
    let (title, mark) = match field {
        FeedField::Title => (
            " Rename feed (empty: its own title; Enter saves, Esc cancels) ",
            "title: ",
        ),
        FeedField::Tags => (
            " Tags, comma- or space-separated (Enter saves, Esc cancels) ",
            "tags: ",
        ),
    };
    draw_box(state, title, mark, input, area, buf);
}

/// A one-line prompt box titled `title`, with `mark` before the text and a cursor after it.
fn draw_box(state: &State, title: &str, mark: &str, input: &str, area: Rect, buf: &mut Buffer) {
    if area.height < 4 {
        return;
    }
    let r = Rect::new(area.x, area.bottom() - 4, area.width, 3);
    Clear.render(r, buf);
    let block = Block::bordered()
        .border_style(state.theme.border_focused)
        .title(title);
    let inner = block.inner(r);
    block.render(r, buf);
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
