//! The titles `[[feed]]` tables give feeds, laid over the names the cache gives headlines and
//! articles (the feed list gets them in `edit.rs`, which fills [`State::table_titles`]).

use crate::app::state::State;
use crate::model::{Headline, ItemRow};

/// Shows the `[[feed]]` tables' titles in headlines (their feed and the other feeds of their
/// story), which come from the cache under the titles it keeps.
pub fn retitle_headlines(state: &State, rows: &mut [Headline]) {
    if state.table_titles.is_empty() {
        return;
    }
    for h in rows {
        retitle(state, &mut h.feed_title);
        h.also_in.iter_mut().for_each(|t| retitle(state, t));
    }
}

/// Shows the `[[feed]]` tables' titles in an article's header, as [`retitle_headlines`].
pub fn retitle_item(state: &State, item: &mut ItemRow) {
    retitle(state, &mut item.feed_title);
    item.also_in.iter_mut().for_each(|t| retitle(state, t));
}

fn retitle(state: &State, title: &mut String) {
    if let Some(shown) = state.table_titles.get(title.as_str()) {
        title.clone_from(shown);
    }
}
