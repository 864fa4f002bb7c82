//! Opening things: a view's headlines, an article, a failed feed. Both the key actions and the
//! moving-on logic use these.

use crate::app::list::HeadlineList;
use crate::app::msg::Command;
use crate::app::screen::relayout;
use crate::app::state::{Focus, State};
use crate::model::{ItemQuery, View};

/// Opens the selected headline's article, marking it read when the settings say so.
pub fn open_selected(state: &mut State) -> Vec<Command> {
    let Some(row) = state.list.selected_row() else {
        return Vec::new();
    };
    let (id, was_unread) = (row.id, !row.read);
    // The read mark is written before the article is loaded, so the loaded item shows it.
    let mut cmds = Vec::new();
    if state.settings.mark_read_on_open && was_unread {
        let sel = state.list.selected;
        if let Some(r) = state.list.row_mut(sel) {
            r.read = true;
        }
        cmds.push(Command::SetRead(id, true));
        cmds.push(Command::LoadFeeds);
    }
    cmds.push(Command::LoadArticle(id));
    state.article_pending = Some(id);
    state.focus = Focus::Article;
    relayout(state);
    cmds
}

/// Leaves the current view for a query, starting at its top, in the order and with the read
/// items hidden or shown as remembered for its view.
pub fn show_query(state: &mut State, mut query: ItemQuery) -> Vec<Command> {
    state.prefs.apply(&mut query);
    // Hidden items are shown in one view at a time: another view leaves them out again.
    let mut cmds = state.marks.leave_view(&state.list.query.view, &query.view);
    state.list = HeadlineList::new(query);
    cmds.push(state.list.load_around());
    relayout(state);
    cmds
}

/// From the error list: shows the headlines of the feed of error `index`, or (`retry`) refreshes
/// that feed and leaves the list open.
pub fn open_failed_feed(state: &mut State, index: usize, retry: bool) -> Vec<Command> {
    let Some(source) = state.errors.get(index).map(|e| e.source.clone()) else {
        return Vec::new();
    };
    let Some(id) = state.feeds.iter().find(|f| f.title == source).map(|f| f.id) else {
        state.notify_error(format!("{source} is no longer subscribed"));
        return Vec::new();
    };
    if retry {
        state.notify(format!("Retrying {source}"));
        return vec![crate::app::refreshing::begin_refresh(
            state,
            Some(id),
            crate::app::msg::RefreshCause::Asked,
        )];
    }
    state.overlay = None;
    state.before_search = None;
    state.focus = Focus::Headlines;
    if let Some(row) = state
        .entries
        .iter()
        .position(|e| e.view(&state.feeds) == Some(View::Feed(id)))
    {
        state.feed_selected = row;
        crate::app::screen::keep_feed_visible(state);
    }
    let query = ItemQuery {
        view: View::Feed(id),
        ..state.list.query.clone()
    };
    show_query(state, query)
}
