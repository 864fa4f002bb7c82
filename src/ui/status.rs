//! The status line: the view and its counts, refresh progress or the time of the last refresh,
//! the latest notice, and key hints taken from the key map.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::app::State;
use crate::app::dates;
use crate::app::feeds::FeedEntry;
use crate::app::state::Focus;
use crate::config::keymap::Action;
use crate::ui::put;

/// The key hints: the first key bound to each of a few actions, with a one-word label.
pub fn hints(state: &State) -> String {
    let back = if state.focus == Focus::Feeds {
        "quit"
    } else {
        "back"
    };
    let wanted = [
        (Action::Help, "help"),
        (Action::BackOrQuit, back),
        (Action::Search, "search"),
        (Action::RefreshAll, "refresh"),
    ];
    let mut out = Vec::new();
    for (action, label) in wanted {
        if let Some(k) = state.keymap.keys_for(action).first() {
            out.push(format!("{k} {label}"));
        }
    }
    out.join("  ")
}

/// Draws the status line.
pub fn draw(state: &State, area: Rect, buf: &mut Buffer) {
    if area.height == 0 {
        return;
    }
    let t = &state.theme;
    let mut style = t.status;
    let unread = crate::app::view_counts::unread(state)
        .map(|n| format!(", {n} unread"))
        .unwrap_or_default();
    let mut parts = vec![format!(
        "{}: {}{unread}",
        state.view_name(),
        crate::app::names::count(state.list.total, "item"),
    )];
    if let Some(why) = &state.read_only {
        parts.push(why.clone());
    }
    let r = &state.refresh;
    if r.running {
        let mut s = format!("refreshing {}/{}", r.done, r.total);
        if r.failed > 0 {
            s.push_str(&format!(", {} failed", r.failed));
        }
        parts.push(s);
    } else if let Some(at) = r.last_done {
        parts.push(format!("updated {}", dates::clock(at, state.tz_offset)));
    }
    let feed_error = match (state.focus, state.entries.get(state.feed_selected)) {
        (Focus::Feeds, Some(FeedEntry::Feed { index, .. })) => state
            .feeds
            .get(*index)
            .and_then(|f| f.last_error.as_ref())
            .map(|e| format!("error: {e}")),
        _ => None,
    };
    if let Some(n) = &state.notice {
        parts.push(n.text.clone());
        if n.error {
            style = t.status_error;
        }
    } else if let Some(e) = feed_error {
        parts.push(e);
        style = t.status_error;
    }
    buf.set_style(area, style);
    // The hints stay; when all of them leave too little room, the help hint alone stays.
    let text = parts.join(" | ");
    let full = hints(state);
    let help_only = full.split("  ").next().unwrap_or_default().to_string();
    let text_w = unicode_width::UnicodeWidthStr::width(text.as_str()) as u16;
    let full_w = full.chars().count() as u16;
    let hints = if text_w + full_w + 4 <= area.width {
        full
    } else if help_only.chars().count() as u16 + 20 <= area.width {
        help_only
    } else {
        String::new()
    };
    let hints_w = hints.chars().count() as u16;
    let left_room = if hints_w > 0 {
        area.width - hints_w - 3
    } else {
        area.width
    };
    put(
        buf,
        area.x + 1,
        area.y,
        &text,
        left_room.saturating_sub(1),
        style,
    );
    if left_room < area.width {
        put(
            buf,
            area.right() - hints_w - 1,
            area.y,
            &hints,
            hints_w,
            style,
        );
    }
}
