//! Opening things: a view's headlines, an article, a search. Both the key actions and the
//! moving-on logic use these.

use crate::app::list::HeadlineList;
use crate::app::msg::Command;
use crate::app::state::{Focus, State};
use crate::app::update::relayout;
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

/// Leaves the current view for a query, starting at its top.
pub fn show_query(state: &mut State, query: ItemQuery) -> Vec<Command> {
    state.list = HeadlineList::new(query);
    let cmd = state.list.load_around();
    relayout(state);
    vec![cmd]
}

/// Shows the items matching a search; an empty query does nothing.
pub fn search(state: &mut State, text: String) -> Vec<Command> {
    if text.is_empty() {
        return Vec::new();
    }
    if state.before_search.is_none() {
        state.before_search = Some(state.list.query.clone());
    }
    let mut q = state.list.query.clone();
    q.view = View::Search(text);
    state.focus = Focus::Headlines;
    show_query(state, q)
}
