//! Handing the open article to other programs: a `pipe` binding's command with the article on
//! its standard input, an `[open]` command for an enclosure, and the save action. Here the
//! commands are only made (placeholders filled, values cleaned, a value that looks like an
//! option refused); the session runs them and reports back.

use crate::app::export;
use crate::app::links::EntryKind;
use crate::app::msg::Command;
use crate::app::open;
use crate::app::state::State;
use crate::config::argv::{self, MAX_VALUE_CHARS};
use crate::config::commands::open_command;

/// The longest address handed to a program, in characters.
const MAX_URL_CHARS: usize = 4096;

/// Runs pipe binding `n` on the open article.
pub fn pipe(state: &mut State, n: usize) -> Vec<Command> {
    let Some(spec) = state.keymap.pipe_command(n).cloned() else {
        return Vec::new();
    };
    let Some(view) = &state.article else {
        state.notify_error("Open an article to pipe it");
        return Vec::new();
    };
    let item = &view.item;
    let url = item
        .link
        .as_deref()
        .and_then(open::validate)
        .unwrap_or_default();
    let url = argv::clean_value(&url, MAX_URL_CHARS);
    let values = [
        ("url", url.as_str()),
        ("title", item.title.as_str()),
        ("feed", item.feed_title.as_str()),
    ];
    match argv::expand(&spec.argv, &values, MAX_VALUE_CHARS) {
        Ok(argv) => {
            let input = export::plain_text(view);
            state.notify(format!("Piping the article to {}", argv[0]));
            vec![Command::Pipe {
                argv,
                input,
                terminal: spec.terminal,
            }]
        }
        Err(e) => {
            state.notify_error(format!("Not run: {e}"));
            Vec::new()
        }
    }
}

/// Saves the open article as Markdown.
pub fn save(state: &mut State) -> Vec<Command> {
    let Some(view) = &state.article else {
        state.notify_error("Open an article to save it");
        return Vec::new();
    };
    let cmd = Command::SaveArticle {
        dir: state.external.save_dir.clone(),
        title: argv::clean_value(&view.item.title, MAX_VALUE_CHARS),
        markdown: export::markdown(view),
    };
    state.notify("Saving the article");
    vec![cmd]
}

/// The command for entry `n` (from 1) of the link list when it is an enclosure whose declared
/// type has an `[open]` command; `None` sends it to the browser like any link.
pub fn open_enclosure(state: &mut State, n: usize) -> Option<Vec<Command>> {
    let entry = state
        .article
        .as_ref()?
        .listed_links()
        .get(n.wrapping_sub(1))?
        .clone();
    let EntryKind::Enclosure {
        mime: Some(mime), ..
    } = &entry.kind
    else {
        return None;
    };
    let template = open_command(&state.external.open, mime)?.to_vec();
    let Some(url) = open::validate(&entry.url) else {
        state.notify_error("Only http(s) enclosures are opened");
        return Some(Vec::new());
    };
    let url = argv::clean_value(&url, MAX_URL_CHARS);
    match argv::expand(&template, &[("url", &url)], MAX_URL_CHARS) {
        Ok(argv) => {
            state.notify(format!("Opening the enclosure with {}", argv[0]));
            Some(vec![Command::OpenWith(argv)])
        }
        Err(e) => {
            state.notify_error(format!("Not run: {e}"));
            Some(Vec::new())
        }
    }
}
