//! The current view's own unread count, for the status line: from the feed list's counts where
//! they give it (All, Unread, one feed), else as the cache counted the view itself.

use crate::app::msg::Command;
use crate::app::state::State;
use crate::model::View;

/// Whether a view's unread count must be asked of the cache (the feed list's counts do not
/// give it).
pub fn needs_count(view: &View) -> bool {
    matches!(view, View::Starred | View::Tag(_) | View::Search(_))
}

/// The command counting the current view's unread items, when the feed list cannot tell.
pub fn count_command(state: &State) -> Option<Command> {
    needs_count(&state.list.query.view).then(|| Command::CountUnread(state.list.query.clone()))
}

/// The unread items of the current view, when known.
pub fn unread(state: &State) -> Option<u64> {
    match &state.list.query.view {
        View::All | View::Unread => Some(state.totals.unread),
        View::Feed(id) => state.feeds.iter().find(|f| f.id == *id).map(|f| f.unread),
        _ => state.list.unread,
    }
}
