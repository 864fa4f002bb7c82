//! The article pane: a header (title, feed, author, date, link, enclosures) and the body lines
//! laid out by the content renderer, with their semantic styles mapped to theme colours.
//! Images are drawn here as half blocks; those a graphics protocol draws (see
//! [`crate::app::image_spots`]) are left blank, for the session to draw after the frame.

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};

use crate::app::State;
use crate::app::image_rows::Placed;
use crate::app::image_spots;
use crate::app::protocol::Protocol;
use crate::app::state::Focus;
use crate::app::text;
use crate::config::theme::Theme;
use crate::ui::{pane, put};

/// The theme style for a run of body text.
pub fn span_style(theme: &Theme, s: &text::Style) -> Style {
    let mut out = Style::default();
    let flags = [
        (s.heading, theme.heading),
        (s.quote, theme.quote),
        (s.code, theme.code),
        (s.link, theme.link),
        (s.dim, theme.dim),
        (s.folded, theme.folded),
    ];
    for (on, style) in flags {
        if on {
            out = out.patch(style);
        }
    }
    if s.bold {
        out = out.add_modifier(ratatui::style::Modifier::BOLD);
    }
    if s.italic {
        out = out.add_modifier(ratatui::style::Modifier::ITALIC);
    }
    out
}

/// Draws one row of a placed image as half blocks: `▀` with the upper pixel as foreground and
/// the lower as background (`▄` or a blank where one of them is transparent).
fn draw_image_row(p: &Placed, row: u16, x0: u16, y: u16, w: u16, buf: &mut Buffer) {
    let rgb = |c: [u8; 3]| Color::Rgb(c[0], c[1], c[2]);
    let start = x0.saturating_add(u16::try_from(p.x).unwrap_or(u16::MAX));
    for col in 0..p.blocks.cols {
        let x = start.saturating_add(col);
        if x >= x0.saturating_add(w) {
            break;
        }
        let (sym, style) = match p.blocks.cell(col, row) {
            (Some(t), Some(b)) => ("▀", Style::default().fg(rgb(t)).bg(rgb(b))),
            (Some(t), None) => ("▀", Style::default().fg(rgb(t))),
            (None, Some(b)) => ("▄", Style::default().fg(rgb(b))),
            (None, None) => (" ", Style::default()),
        };
        if let Some(cell) = buf.cell_mut((x, y)) {
            cell.set_symbol(sym).set_style(style);
        }
    }
}

/// Draws the article pane.
pub fn draw(state: &State, area: Rect, buf: &mut Buffer) {
    let Some(a) = &state.article else {
        let inner = pane(state, Focus::Article, "Article", area, buf);
        let text = if state.article_pending.is_some() {
            "Loading..."
        } else {
            "No article open. Enter opens the selected headline."
        };
        put(
            buf,
            inner.x + 1,
            inner.y,
            text,
            inner.width.saturating_sub(1),
            state.theme.dim,
        );
        return;
    };
    let height = a.height();
    let shown = a.scroll + usize::from(area.height.saturating_sub(2));
    let raw = match (a.raw, a.folded()) {
        (true, _) => ", raw".to_string(),
        (false, 0) => String::new(),
        (false, n) => format!(", {n} folded"),
    };
    // Which text is shown, when the item has an article fetched from its page.
    let label = match (a.item.full_text.is_some(), a.feed_text) {
        (false, _) => "Article",
        (true, false) => "Article from the page",
        (true, true) => "Feed text",
    };
    let title = match (shown * 100).checked_div(height) {
        Some(pct) => format!("{label} {}%{raw}", pct.min(100)),
        None => label.to_string(),
    };
    let inner = pane(state, Focus::Article, &title, area, buf);
    let t = &state.theme;
    // Images a graphics protocol draws after the frame: their cells stay blank here.
    let spots = image_spots::spots(state);
    let skip = image_spots::drawn_with(state) != Protocol::Kitty;
    let x0 = inner.x + 1;
    let w = inner.width.saturating_sub(2);
    for row in 0..inner.height {
        let line = a.scroll + usize::from(row);
        let y = inner.y + row;
        let body = match line.checked_sub(a.header_lines.len()) {
            None => a.header_lines.get(line),
            Some(0) => None,
            Some(i) => a.lines.get(i - 1),
        };
        let Some(body) = body else {
            continue;
        };
        if let Some(i) = line.checked_sub(a.header_lines.len() + 1)
            && let Some((n, p)) = a
                .placed
                .iter()
                .enumerate()
                .find(|(_, p)| (p.line..p.line + usize::from(p.blocks.rows)).contains(&i))
        {
            match spots.iter().find(|s| s.placed == n) {
                // A sixel or iTerm2 image stays on screen until its cells are written again:
                // ratatui must not write them while it is there.
                Some(s) if skip => {
                    for x in s.x..s.x.saturating_add(s.cols) {
                        if let Some(cell) = buf.cell_mut((x, y)) {
                            cell.set_diff_option(CellDiffOption::Skip);
                        }
                    }
                }
                Some(_) => {}
                None => draw_image_row(p, (i - p.line) as u16, x0, y, w, buf),
            }
            continue;
        }
        let mut x = x0;
        for span in &body.spans {
            let room = (x0 + w).saturating_sub(x);
            if room == 0 {
                break;
            }
            x = put(buf, x, y, &span.text, room, span_style(t, &span.style));
        }
    }
}
