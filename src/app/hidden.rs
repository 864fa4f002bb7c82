//! Items that rules hid or highlighted, in the reader: `I` lists the hidden items of the current
//! view (marked as hidden on their rows) or leaves them out again, highlighted rows are drawn in
//! the theme's `highlight` style, and `U`, with no mark-all-read to undo, undoes the last
//! `tidings rules apply`.

use std::collections::HashSet;

use crate::app::msg::Command;
use crate::app::state::State;
use crate::model::ItemId;

pub use crate::app::row_marks::RowMarks;

/// `I`: lists the hidden items of the current view, or leaves them out again, keeping the
/// selected item selected.
pub fn toggle(state: &mut State) -> Vec<Command> {
    let show = !state.marks.show_hidden;
    state.marks.show_hidden = show;
    let what = if show {
        "Hidden items shown"
    } else {
        "Hidden items left out"
    };
    state.notify(format!("{what} in {}", state.view_name()));
    let mut cmds = vec![Command::SetShowHidden(show)];
    cmds.extend(crate::app::arrange::rearrange(
        state,
        state.list.query.clone(),
    ));
    cmds
}

/// Takes in the marks of rows just loaded (the rows are already in the list).
pub fn marks_loaded(state: &mut State, hidden: Vec<ItemId>, highlighted: Vec<ItemId>) {
    // Only the rows loaded now are kept track of: the sets stay as small as the window.
    let loaded: HashSet<ItemId> = state.list.rows.iter().map(|h| h.id).collect();
    state.marks.hidden.retain(|id| loaded.contains(id));
    state.marks.highlighted.retain(|id| loaded.contains(id));
    state.marks.hidden.extend(hidden);
    state.marks.highlighted.extend(highlighted);
}

/// `U` with no mark-all-read to undo: undoes the last `tidings rules apply`.
pub fn undo_rules(state: &mut State) -> Vec<Command> {
    state.notify("Undoing the last `tidings rules apply`...");
    vec![Command::UndoRules]
}

/// The cache has undone the last application of the rules: says so, and shows the cache as
/// it now is.
pub fn rules_undone(state: &mut State, restored: u64) -> Vec<Command> {
    if restored == 0 {
        state.notify("Nothing to undo");
        return Vec::new();
    }
    state.notify(format!(
        "Put {restored} items back as they were before the last rules apply"
    ));
    vec![Command::LoadFeeds, state.list.load_around()]
}
