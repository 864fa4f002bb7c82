//! Editing a feed from the feed list: renaming it (`c`) and editing its tags (`t`). Each opens a
//! prompt prefilled with the current value; Enter checks the text and sends the change to the
//! cache worker ([`Command::EditFeed`]), Esc cancels. When the worker has saved it,
//! [`saved`] says so in the status line and reloads the feed list.

pub use crate::app::feed_edit::{FeedChange, FeedEdit, FeedField};

use crate::app::msg::Command;
use crate::app::state::{Focus, Overlay, State};
use crate::config::keymap::{Key, KeyCode};
use crate::content::sanitize_line;
use crate::model::FeedId;

/// The longest title the prompt accepts, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest tag the prompt accepts, in characters.
pub const MAX_TAG: usize = 64;
/// The most tags one feed may carry.
pub const MAX_TAGS: usize = 32;

/// `c` and `t`: opens the prompt for the highlighted feed's title or tags, prefilled with the
/// current value. Anything but a feed highlighted in the feed list gets a notice instead.
pub fn open_prompt(state: &mut State, field: FeedField) -> Vec<Command> {
    let what = match field {
        FeedField::Title => "rename",
        FeedField::Tags => "tag",
    };
    let feed = (state.focus == Focus::Feeds)
        .then(|| state.current_feed())
        .flatten()
        .and_then(|id| state.feeds.iter().find(|f| f.id == id));
    let Some(feed) = feed else {
        state.notify_error(format!("Highlight a feed in the feed list to {what} it"));
        return Vec::new();
    };
    let (title, tags) = state
        .stored_names
        .get(&feed.id)
        .map_or((&feed.title, &feed.tags), |(t, g)| (t, g));
    let input = match field {
        FeedField::Title => title.clone(),
        FeedField::Tags => tags.join(", "),
    };
    state.overlay = Some(Overlay::EditFeed {
        feed: feed.id,
        field,
        input,
    });
    Vec::new()
}

/// Keys typed into the edit prompt; `None` when it is not open. Ctrl-U clears the line.
pub fn on_key(state: &mut State, key: &Key) -> Option<Vec<Command>> {
    let Some(Overlay::EditFeed { feed, field, input }) = &mut state.overlay else {
        return None;
    };
    if key.ctrl || key.alt {
        match key.code {
            KeyCode::Char('c') if key.ctrl => state.overlay = None,
            KeyCode::Char('u') if key.ctrl => input.clear(),
            _ => {}
        }
        return Some(Vec::new());
    }
    match key.code {
        KeyCode::Char(c) => input.push(c),
        KeyCode::Backspace => {
            input.pop();
        }
        KeyCode::Esc => state.overlay = None,
        KeyCode::Enter => {
            let (feed, field, text) = (*feed, *field, input.clone());
            return Some(submit(state, feed, field, &text));
        }
        _ => {}
    }
    Some(Vec::new())
}

/// Checks the prompt's text and sends the change; a bad value keeps the prompt open and says why,
/// an unchanged one just closes it.
fn submit(state: &mut State, feed: FeedId, field: FeedField, text: &str) -> Vec<Command> {
    let change = match field {
        FeedField::Title => parse_title(text).map(FeedChange::Title),
        FeedField::Tags => parse_tags(text).map(FeedChange::Tags),
    };
    let change = match change {
        Ok(c) => c,
        Err(why) => {
            state.notify_error(why);
            return Vec::new();
        }
    };
    state.overlay = None;
    let Some(row) = state.feeds.iter().find(|f| f.id == feed) else {
        state.notify_error("That feed is gone");
        return Vec::new();
    };
    let unchanged = match &change {
        FeedChange::Title(Some(t)) => *t == row.title,
        FeedChange::Title(None) => false,
        FeedChange::Tags(tags) => {
            let mut old = row.tags.clone();
            old.sort();
            *tags == old
        }
    };
    if unchanged {
        return Vec::new();
    }
    vec![Command::EditFeed(FeedEdit { feed, change })]
}

/// A title as typed: trimmed; empty means the feed's own title.
pub fn parse_title(text: &str) -> Result<Option<String>, String> {
    let title = text.trim();
    if title.is_empty() {
        return Ok(None);
    }
    if sanitize_line(title) != title {
        return Err("A title may not hold control or formatting characters".into());
    }
    if title.chars().count() > MAX_TITLE {
        return Err(format!(
            "A title may be at most {MAX_TITLE} characters long"
        ));
    }
    Ok(Some(title.to_string()))
}

/// Tags as typed: separated by commas when the text holds one (so that a tag may hold spaces),
/// else by spaces; trimmed, empty ones dropped, duplicates folded, sorted as the cache keeps them.
pub fn parse_tags(text: &str) -> Result<Vec<String>, String> {
    let parts: Vec<&str> = if text.contains(',') {
        text.split(',').collect()
    } else {
        text.split_whitespace().collect()
    };
    let mut tags: Vec<String> = Vec::new();
    for t in parts.into_iter().map(str::trim).filter(|t| !t.is_empty()) {
        if sanitize_line(t) != t {
            return Err(format!(
                "The tag \"{}\" holds control or formatting characters",
                sanitize_line(t)
            ));
        }
        if t.chars().count() > MAX_TAG {
            return Err(format!("A tag may be at most {MAX_TAG} characters long"));
        }
        tags.push(t.to_string());
    }
    tags.sort();
    tags.dedup();
    if tags.len() > MAX_TAGS {
        return Err(format!("A feed may carry at most {MAX_TAGS} tags"));
    }
    Ok(tags)
}

/// The worker saved an edit: says so and reloads the feed list (and the queries, whose counts
/// may read tags).
///
/// This is the one place that reports a saved edit, so a setting of the config file that wins
/// over the cache (a `[[feed]]` table's `title` or `tags`) is best reported here too.
pub fn saved(state: &mut State, edit: FeedEdit) -> Vec<Command> {
    let name = state
        .feeds
        .iter()
        .find(|f| f.id == edit.feed)
        .map_or_else(|| format!("feed {}", edit.feed), |f| f.title.clone());
    let text = match &edit.change {
        FeedChange::Title(Some(t)) => format!("Renamed \"{name}\" to \"{t}\""),
        FeedChange::Title(None) => format!("\"{name}\" has its own title again"),
        FeedChange::Tags(t) if t.is_empty() => format!("\"{name}\" has no tags now"),
        FeedChange::Tags(t) => format!("Tagged \"{name}\": {}", t.join(", ")),
    };
    match overriding_line(state, &edit) {
        Some(line) => state.notify_error(format!(
            "{text}; the [[feed]] table at line {line} of the config wins, so edit it there"
        )),
        None => state.notify(text),
    }
    vec![Command::LoadFeeds, crate::app::queries::load(state)]
}

/// The line of the `[[feed]]` table that sets what `edit` changed, so that the saved edit is not
/// what the reader shows: a table's `title` wins over a rename. (A table's `tags` add to the
/// feed's own, so an edit of those is never overridden.)
fn overriding_line(state: &State, edit: &FeedEdit) -> Option<usize> {
    if !matches!(edit.change, FeedChange::Title(_)) {
        return None;
    }
    let feed = state.feeds.iter().find(|f| f.id == edit.feed)?;
    let tags = state
        .stored_names
        .get(&feed.id)
        .map_or(&feed.tags, |(_, tags)| tags);
    state.feed_rules.line_setting(&feed.url, tags, "title")
}

/// Lays the `[[feed]]` tables' titles and extra tags over the feeds as the cache lists them,
/// keeping the cache's own in [`State::stored_names`] for the edit prompts.
pub fn apply_feed_tables(state: &mut State, rows: &mut [crate::model::FeedRow]) {
    state.stored_names.clear();
    state.table_titles.clear();
    if state.feed_rules.tables.is_empty() {
        return;
    }
    for row in rows {
        let (title, tags) = state.feed_rules.title_and_tags(row);
        if title != row.title || tags != row.tags {
            if title != row.title {
                state.table_titles.insert(row.title.clone(), title.clone());
            }
            let stored = (std::mem::replace(&mut row.title, title), row.tags.clone());
            row.tags = tags;
            state.stored_names.insert(row.id, stored);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_on_commas_when_there_is_one_else_on_spaces() {
        assert_eq!(parse_tags("tech  news tech").unwrap(), ["news", "tech"]);
        assert_eq!(
            parse_tags(" long read, tech,, ").unwrap(),
            ["long read", "tech"]
        );
        assert_eq!(parse_tags("   ").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn bad_tags_and_titles_are_refused_with_a_reason() {
        assert!(parse_tags("a\u{1b}[31m").unwrap_err().contains("control"));
        assert!(parse_tags(&"x".repeat(65)).unwrap_err().contains("64"));
        let many: Vec<String> = (0..33).map(|i| format!("t{i}")).collect();
        assert!(parse_tags(&many.join(" ")).unwrap_err().contains("32"));
        assert!(parse_title("a\u{7}b").unwrap_err().contains("control"));
        assert!(parse_title(&"x".repeat(201)).is_err());
        assert_eq!(parse_title("  ").unwrap(), None);
        assert_eq!(
            parse_title(" My feed ").unwrap().as_deref(),
            Some("My feed")
        );
    }
}
