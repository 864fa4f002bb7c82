//! Drawing the reader: [`render`] reads the state and draws every pane, the status line and the
//! open overlay. Nothing here changes state; every string that came from a feed goes through
//! the sanitiser before it reaches a cell.

mod article;
mod feeds;
mod filter_prompt;
mod headlines;
mod help;
mod lists;
mod prompt;
mod status;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_errors;
#[cfg(test)]
mod tests_folded_links;
#[cfg(test)]
mod tests_full_text;
#[cfg(test)]
mod tests_graphics;
#[cfg(test)]
mod tests_header;
#[cfg(test)]
mod tests_images;
#[cfg(test)]
mod tests_links;
#[cfg(test)]
mod tests_room;
#[cfg(test)]
mod tests_search;
#[cfg(test)]
mod tests_status;
#[cfg(test)]
mod tests_titles;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

use crate::app::State;
use crate::app::screen::panes;
use crate::app::state::{Focus, Overlay};
use crate::app::text::sanitize_line;

/// Draws the whole screen for the current state.
pub fn render(state: &State, frame: &mut Frame) {
    let area = frame.area();
    let p = panes(state);
    let buf = frame.buffer_mut();
    if let Some(r) = p.feeds {
        feeds::draw(state, r.intersection(area), buf);
    }
    if let Some(r) = p.headlines {
        headlines::draw(state, r.intersection(area), buf);
    }
    if let Some(r) = p.article {
        article::draw(state, r.intersection(area), buf);
    }
    status::draw(state, p.status.intersection(area), buf);
    match &state.overlay {
        // The question is in the status line.
        None | Some(Overlay::Confirm { .. }) => {}
        Some(Overlay::Help { scroll }) => help::draw(state, *scroll, area, buf),
        Some(Overlay::Search { input, .. }) => prompt::draw(state, input, area, buf),
        Some(Overlay::Filter { input }) => filter_prompt::draw(state, input, false, area, buf),
        Some(Overlay::SaveQuery { input }) => filter_prompt::draw(state, input, true, area, buf),
        Some(Overlay::EditFeed { field, input, .. }) => {
            filter_prompt::draw_edit(state, *field, input, area, buf);
        }
        Some(Overlay::Links { selected, typed }) => {
            lists::draw_links(state, *selected, typed, area, buf);
        }
        Some(Overlay::Errors { selected }) => lists::draw_errors(state, *selected, area, buf),
    }
}

/// Draws a pane's border and title (sanitised) and returns the inside.
fn pane(state: &State, focus: Focus, title: &str, area: Rect, buf: &mut Buffer) -> Rect {
    let focused = state.focus == focus && state.overlay.is_none();
    let t = &state.theme;
    let border = if focused { t.border_focused } else { t.border };
    let title = Line::from(Span::styled(format!(" {} ", sanitize_line(title)), t.title));
    let block = Block::bordered().border_style(border).title(title);
    let inner = block.inner(area);
    block.render(area, buf);
    inner
}

/// A box in the middle of the screen, cleared, with a title.
fn overlay_box(
    state: &State,
    title: &str,
    width: u16,
    height: u16,
    area: Rect,
    buf: &mut Buffer,
) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height.saturating_sub(1));
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height.saturating_sub(1) - h) / 2,
        w,
        h,
    );
    Clear.render(r, buf);
    let block = Block::bordered()
        .border_style(state.theme.border_focused)
        .title(Line::from(Span::styled(
            format!(" {} ", sanitize_line(title)),
            state.theme.title,
        )));
    let inner = block.inner(r);
    block.render(r, buf);
    inner
}

/// Writes sanitised text at a cell, at most `width` columns, marking a cut with "…"; returns the
/// column after it.
fn put(buf: &mut Buffer, x: u16, y: u16, text: &str, width: u16, style: Style) -> u16 {
    if width == 0 {
        return x;
    }
    let clean = sanitize_line(text);
    if unicode_width::UnicodeWidthStr::width(clean.as_ref()) <= usize::from(width) {
        return buf.set_stringn(x, y, clean, usize::from(width), style).0;
    }
    let end = buf
        .set_stringn(x, y, clean, usize::from(width - 1), style)
        .0;
    buf.set_stringn(end, y, "…", 1, style).0
}

/// The style of a selected row, depending on whether its pane has the focus.
fn selected_style(state: &State, focus: Focus) -> Style {
    if state.focus == focus && state.overlay.is_none() {
        state.theme.selected
    } else {
        state.theme.selected_unfocused
    }
}
