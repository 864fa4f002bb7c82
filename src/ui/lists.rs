//! The link list and error list overlays.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::State;
use crate::ui::{overlay_box, put};

/// Draws the article's numbered links, the chosen one highlighted.
pub fn draw_links(state: &State, selected: usize, typed: &str, area: Rect, buf: &mut Buffer) {
    let links = state.article.as_ref().map_or(&[][..], |a| &a.doc.links[..]);
    let title = if typed.is_empty() {
        "Links (number or Enter opens, y copies)".to_string()
    } else {
        format!("Links: {typed}")
    };
    let width = area.width.saturating_sub(8).max(20);
    let inner = overlay_box(
        state,
        &title,
        width,
        links.len().max(1) as u16 + 2,
        area,
        buf,
    );
    if links.is_empty() {
        put(
            buf,
            inner.x + 1,
            inner.y,
            "This article has no links.",
            inner.width,
            state.theme.dim,
        );
        return;
    }
    let h = usize::from(inner.height.max(1));
    let first = selected.saturating_sub(h - 1);
    for (i, link) in links.iter().enumerate().skip(first).take(h) {
        let y = inner.y + (i - first) as u16;
        let style = if i == selected {
            state.theme.selected
        } else {
            state.theme.link
        };
        if i == selected {
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        }
        let x = put(
            buf,
            inner.x + 1,
            y,
            &format!("[{}] ", i + 1),
            inner.width,
            state.theme.help_key,
        );
        put(buf, x, y, link, inner.right().saturating_sub(x), style);
    }
}

/// Draws the list of errors, newest first.
pub fn draw_errors(state: &State, scroll: usize, area: Rect, buf: &mut Buffer) {
    let width = area.width.saturating_sub(8).max(20);
    let n = state.errors.len();
    let inner = overlay_box(
        state,
        "Errors (Esc closes)",
        width,
        n.max(1) as u16 + 2,
        area,
        buf,
    );
    if n == 0 {
        put(
            buf,
            inner.x + 1,
            inner.y,
            "No errors.",
            inner.width,
            state.theme.dim,
        );
        return;
    }
    let scroll = scroll.min(n.saturating_sub(usize::from(inner.height)));
    for (row, e) in state
        .errors
        .iter()
        .rev()
        .skip(scroll)
        .take(usize::from(inner.height))
        .enumerate()
    {
        let y = inner.y + row as u16;
        let x = put(
            buf,
            inner.x + 1,
            y,
            &format!("{}: ", e.source),
            inner.width / 3,
            state.theme.error,
        );
        put(
            buf,
            x,
            y,
            &e.message,
            inner.right().saturating_sub(x),
            Default::default(),
        );
    }
}
