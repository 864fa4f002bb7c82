//! The link list and error list overlays.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::State;
use crate::ui::{overlay_box, put};
use unicode_width::UnicodeWidthStr;

/// Draws the article's link list, two rows per entry: its number, text and kind, then its
/// address; the chosen one highlighted and kept in view.
pub fn draw_links(state: &State, selected: usize, typed: &str, area: Rect, buf: &mut Buffer) {
    let t = &state.theme;
    let links = state.article.as_ref().map_or(&[][..], |a| a.listed_links());
    let title = if typed.is_empty() {
        "Links (number or Enter opens, y copies)".to_string()
    } else {
        format!("Links: {typed}")
    };
    let number_w = format!("[{}] ", links.len()).len();
    // As wide as the widest entry needs (text and kind, or address), within the screen.
    let needed = links
        .iter()
        .map(|l| {
            let text = str_width(&l.text).max(9) + 2 + str_width(&l.kind_label());
            number_w + text.max(str_width(&l.url)) + 4
        })
        .max()
        .unwrap_or(0)
        .max(str_width(&title) + 6)
        .min(usize::from(u16::MAX)) as u16;
    let width = area.width.saturating_sub(8).max(20).min(needed.max(40));
    let rows = (2 * links.len()).clamp(1, usize::from(u16::MAX) - 2) as u16;
    let inner = overlay_box(state, &title, width, rows + 2, area, buf);
    if links.is_empty() {
        put(
            buf,
            inner.x + 1,
            inner.y,
            "This article has no links.",
            inner.width,
            t.dim,
        );
        return;
    }
    let per_page = usize::from(inner.height / 2).max(1);
    let selected = selected.min(links.len() - 1);
    let first = selected.saturating_sub(per_page - 1);
    let number_w = number_w as u16;
    for (i, link) in links.iter().enumerate().skip(first).take(per_page) {
        let y = inner.y + 2 * (i - first) as u16;
        let chosen = i == selected;
        let pick = |s: ratatui::style::Style| if chosen { s.patch(t.selected) } else { s };
        if chosen {
            let h = 2.min(inner.bottom().saturating_sub(y));
            buf.set_style(Rect::new(inner.x, y, inner.width, h), t.selected);
        }
        let right = inner.right().saturating_sub(1);
        let x = put(
            buf,
            inner.x + 1,
            y,
            &format!("[{}] ", i + 1),
            inner.width,
            pick(t.help_key),
        );
        // The kind goes to the right end, the text before it takes what is left.
        let kind = link.kind_label();
        let kind_w = str_width(&kind) as u16;
        let kind_x = right.saturating_sub(kind_w).max(x);
        let text_room = kind_x.saturating_sub(x).saturating_sub(2);
        if link.text.is_empty() {
            put(buf, x, y, "(no text)", text_room, pick(t.dim));
        } else {
            put(buf, x, y, &link.text, text_room, pick(Default::default()));
        }
        put(
            buf,
            kind_x,
            y,
            &kind,
            right.saturating_sub(kind_x),
            pick(t.dim),
        );
        if y + 1 < inner.bottom() {
            let ux = (inner.x + 1 + number_w).min(right);
            put(
                buf,
                ux,
                y + 1,
                &link.url,
                right.saturating_sub(ux),
                pick(t.link),
            );
        }
    }
}

fn str_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
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
