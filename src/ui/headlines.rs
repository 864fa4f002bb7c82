//! The headline pane: only the rows on screen are drawn, from the loaded window of the view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::State;
use crate::app::dates;
use crate::app::state::Focus;
use crate::model::View;
use crate::ui::{pane, put, selected_style};

const DATE_W: u16 = 10;

/// Draws the headline pane.
pub fn draw(state: &State, area: Rect, buf: &mut Buffer) {
    let list = &state.list;
    let mut title = format!("{} ({})", state.view_name(), list.total);
    if list.query.unread_only {
        title.push_str(" unread only");
    }
    if list.query.oldest_first {
        title.push_str(" oldest first");
    }
    if state.marks.show_hidden {
        title.push_str(" with hidden");
    }
    let inner = pane(state, Focus::Headlines, &title, area, buf);
    let t = &state.theme;
    if list.total == 0 {
        let text = if list.loaded {
            "No items"
        } else {
            "Loading..."
        };
        put(
            buf,
            inner.x + 1,
            inner.y,
            text,
            inner.width.saturating_sub(1),
            t.dim,
        );
        return;
    }
    let show_feed = !matches!(list.query.view, View::Feed(_));
    let feed_w = if show_feed {
        (inner.width / 5).clamp(6, 18)
    } else {
        0
    };
    let end = (list.scroll + u64::from(inner.height)).min(list.total);
    for index in list.scroll..end {
        let y = inner.y + (index - list.scroll) as u16;
        let selected = index == list.selected;
        let sel = selected_style(state, Focus::Headlines);
        if selected {
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), sel);
        }
        let patch = |s: ratatui::style::Style| if selected { s.patch(sel) } else { s };
        let right = inner.right();
        let Some(h) = list.row(index) else {
            put(
                buf,
                inner.x + 2,
                y,
                "...",
                right.saturating_sub(inner.x + 2),
                patch(t.dim),
            );
            continue;
        };
        let mut x = inner.x;
        x = put(
            buf,
            x,
            y,
            if h.starred { "*" } else { " " },
            right - x,
            patch(t.starred),
        );
        x = put(
            buf,
            x,
            y,
            if h.read { " " } else { "N" },
            right.saturating_sub(x),
            patch(t.unread),
        );
        x = (x + 1).min(right);
        let date = dates::short(h.sort_time, state.now, state.tz_offset);
        put(
            buf,
            x,
            y,
            &format!("{date:>10}"),
            right.saturating_sub(x),
            patch(t.date),
        );
        x = (x + DATE_W + 1).min(right);
        if show_feed {
            let fits =
                unicode_width::UnicodeWidthStr::width(h.feed_title.as_str()) <= usize::from(feed_w);
            let name = match state.feed_labels.get(&h.feed_id) {
                Some(short) if !fits => short,
                _ => &h.feed_title,
            };
            put(buf, x, y, name, feed_w.min(right - x), patch(t.feed));
            x = (x + feed_w + 1).min(right);
        }
        let mut style = if h.read { t.read } else { t.unread };
        if state.marks.is_highlighted(h.id) {
            style = style.patch(t.highlight);
        }
        if state.marks.is_hidden(h.id) {
            x = put(
                buf,
                x,
                y,
                "(hidden) ",
                right.saturating_sub(x),
                patch(t.dim),
            );
        }
        if !h.also_in.is_empty() {
            // A story also carried by other feeds: how many, before a title that may be cut.
            let more = format!("+{} ", h.also_in.len());
            x = put(buf, x, y, &more, right.saturating_sub(x), patch(t.dim));
        }
        x = put(buf, x, y, &h.title, right.saturating_sub(x), patch(style));
        if !h.also_in.is_empty() {
            let also = format!("  also in {}", h.also_in.join(", "));
            put(buf, x, y, &also, right.saturating_sub(x), patch(t.dim));
        }
    }
}
