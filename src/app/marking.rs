//! Marking a whole view read with `A`: what is highlighted on the feed list (a feed or a tag),
//! else the view shown. The wide views (All, Unread, a tag) ask y/n first; the status line names
//! what was marked.

use crate::app::msg::Command;
use crate::app::state::{Focus, Overlay, State};
use crate::model::{ItemQuery, View};

/// Marks the highlighted feed or tag (feed list), or the view shown, read; or asks first.
pub fn mark_all(state: &mut State) -> Vec<Command> {
    let view = if state.focus == Focus::Feeds {
        state
            .entries
            .get(state.feed_selected)
            .and_then(|e| e.view(&state.feeds))
    } else {
        Some(state.list.query.view.clone())
    };
    let Some(view) = view else {
        return Vec::new();
    };
    let name = state.name_of(&view);
    if matches!(view, View::All | View::Unread | View::Tag(_)) {
        state.notify(format!("Mark everything in {name} read? y/n"));
        state.overlay = Some(Overlay::Confirm { view, name });
        return Vec::new();
    }
    mark(state, view, name)
}

/// The answer to the question `mark_all` asked: `y` marks, anything else leaves all as it was.
pub fn answer(state: &mut State, yes: bool) -> Vec<Command> {
    let Some(Overlay::Confirm { view, name }) = state.overlay.take() else {
        return Vec::new();
    };
    if yes {
        mark(state, view, name)
    } else {
        state.notify("Nothing marked");
        Vec::new()
    }
}

/// Marks a view read: at once in the rows shown when it is the view shown, in the cache by a
/// command; the name waits for the count to come back.
fn mark(state: &mut State, view: View, name: String) -> Vec<Command> {
    if view == state.list.query.view {
        for row in &mut state.list.rows {
            row.read = true;
        }
    }
    state.marking = Some(name);
    vec![Command::MarkAllRead(ItemQuery::new(view))]
}
