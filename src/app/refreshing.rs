//! Starting a refresh: the state records that one runs, and the command asks the session to run it.
//! The update function, the actions and the views all start refreshes through this one function.

use crate::app::msg::{Command, RefreshCause};
use crate::app::state::State;

/// Marks a refresh as started and returns its command.
pub fn begin_refresh(state: &mut State, feed: Option<i64>, cause: RefreshCause) -> Command {
    state.refresh.running = true;
    state.refresh.done = 0;
    state.refresh.failed = 0;
    state.refresh.last_started = Some(state.now);
    state.refresh.feed = feed;
    Command::Refresh(feed, cause)
}
