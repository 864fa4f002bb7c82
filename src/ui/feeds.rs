//! The feed pane: virtual feeds, tags as folders, feeds with unread counts and error marks.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::State;
use crate::app::feeds::FeedEntry;
use crate::app::state::Focus;
use crate::ui::{pane, put, selected_style};

/// Draws the feed pane.
pub fn draw(state: &State, area: Rect, buf: &mut Buffer) {
    let inner = pane(state, Focus::Feeds, "Feeds", area, buf);
    let t = &state.theme;
    let rows = usize::from(inner.height);
    for (i, entry) in state
        .entries
        .iter()
        .enumerate()
        .skip(state.feed_scroll)
        .take(rows)
    {
        let y = inner.y + (i - state.feed_scroll) as u16;
        let (label, count, mut style, indent, failing) = match entry {
            FeedEntry::All => ("All".to_string(), state.totals.all, t.title, 0, false),
            FeedEntry::Unread => ("Unread".to_string(), state.totals.unread, t.title, 0, false),
            FeedEntry::Starred => (
                "Starred".to_string(),
                state.totals.starred,
                t.title,
                0,
                false,
            ),
            FeedEntry::Tag {
                name,
                unread,
                collapsed,
            } => (
                format!("{} {name}", if *collapsed { "+" } else { "-" }),
                *unread,
                t.folder,
                0,
                false,
            ),
            FeedEntry::Query { index, .. } => {
                let Some(q) = state.queries.get(*index) else {
                    continue;
                };
                let unread = q.counts.map_or(0, |(_, unread)| unread);
                (format!("» {}", q.name), unread, t.folder, 0, false)
            }
            FeedEntry::Feed { index, nested } => {
                let Some(f) = state.feeds.get(*index) else {
                    continue;
                };
                let style = if f.unread > 0 { t.unread } else { t.read };
                (
                    f.title.clone(),
                    f.unread,
                    style,
                    if *nested { 2 } else { 0 },
                    f.last_error.is_some(),
                )
            }
        };
        if i == state.feed_selected {
            style = style.patch(selected_style(state, Focus::Feeds));
            buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        }
        let count_text = if count > 0 {
            count.to_string()
        } else {
            String::new()
        };
        let count_w = count_text.len() as u16;
        let mut x = inner.x + indent.min(inner.width);
        if failing {
            let err = if i == state.feed_selected {
                style
            } else {
                t.error
            };
            x = put(buf, x, y, "!", inner.right().saturating_sub(x), err);
        }
        let room = inner.right().saturating_sub(x).saturating_sub(count_w + 1);
        put(buf, x, y, &label, room, style);
        if count_w > 0 && count_w < inner.width {
            let cstyle = if i == state.feed_selected {
                style
            } else {
                t.count
            };
            put(
                buf,
                inner.right() - count_w,
                y,
                &count_text,
                count_w,
                cstyle,
            );
        }
    }
}
