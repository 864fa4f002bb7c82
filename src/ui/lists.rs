//! The link list and error list overlays.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::State;
use crate::ui::{overlay_box, put};

/// Draws the article's numbered links, the chosen one highlighted.
pub fn draw_links(state: &State, selected: usize, typed: &str, area: Rect, buf: &mut Buffer) {
    let links = state.article.as_ref().map_or(&[][..], |a| a.listed_links());
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

/// Draws the error list: each failing feed's last error (its name and when on one line, the
/// message under it), with the highlighted one's position in the title; then the reader's own
/// errors under a heading of their own.
pub fn draw_errors(state: &State, selected: usize, area: Rect, buf: &mut Buffer) {
    let t = &state.theme;
    let n = state.errors.len();
    let selected = selected.min(n.saturating_sub(1));
    // (text, style, indent, is the highlighted entry)
    let mut lines: Vec<(String, ratatui::style::Style, u16, bool)> = Vec::new();
    for (i, e) in state.errors.iter().enumerate() {
        let when = crate::app::dates::clock(e.at, state.tz_offset);
        lines.push((format!("{} · {when}", e.source), t.error, 0, i == selected));
        lines.push((e.message.clone(), Default::default(), 2, i == selected));
    }
    if n == 0 {
        lines.push((
            "No feed failed in the last refresh.".into(),
            t.dim,
            0,
            false,
        ));
    }
    if !state.reader_errors.is_empty() {
        lines.push((String::new(), Default::default(), 0, false));
        lines.push(("Reader".into(), t.title, 0, false));
        for e in state.reader_errors.iter().rev() {
            let when = crate::app::dates::clock(e.at, state.tz_offset);
            lines.push((
                format!("{when} {}", e.message),
                Default::default(),
                2,
                false,
            ));
        }
    }
    let title = if n == 0 {
        "Errors (Esc closes)".to_string()
    } else {
        format!(
            "Errors {}/{n} (Enter opens the feed, r retries, Esc closes)",
            selected + 1
        )
    };
    let width = area.width.saturating_sub(8).max(20);
    let inner = overlay_box(state, &title, width, lines.len() as u16 + 2, area, buf);
    let height = usize::from(inner.height);
    let first = (2 * selected + 2).saturating_sub(height);
    let sel_style = t.selected;
    for (row, (text, style, indent, hl)) in lines.iter().skip(first).take(height).enumerate() {
        let y = inner.y + row as u16;
        let style = if *hl { style.patch(sel_style) } else { *style };
        if *hl {
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        }
        let x = inner.x + 1 + indent;
        put(buf, x, y, text, inner.right().saturating_sub(x), style);
    }
}
