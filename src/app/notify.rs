//! Telling the user that a refresh brought new stories: the `[notify]` command (an argv with
//! `{count}` and `{feeds}`, never a shell) and, in the reader, the terminal's own notification
//! (OSC 9 or OSC 777). Here they are only made; the session (or `tidings fetch`) runs them. Every value is cleaned of control characters first, so a BEL or an ESC in
//! a feed's title cannot end the sequence early or start another.

use crate::app::msg::Command;
use crate::app::state::State;
use crate::config::argv::{self, ArgvError, MAX_VALUE_CHARS};
use crate::config::commands::{NotifySettings, TerminalNotify};

/// What the reader does when a refresh stored `count` new stories of `feeds`: the commands that
/// run the notify command and write the terminal's notification, as configured.
pub fn new_stories(state: &mut State, count: usize, feeds: &[String]) -> Vec<Command> {
    if count == 0 {
        return Vec::new();
    }
    let settings = &state.external.notify;
    let osc = osc(settings.terminal, count, feeds);
    let argv = match command(settings, count, feeds) {
        Some(Ok(argv)) => Some(argv),
        Some(Err(e)) => {
            state.notify_error(format!("[notify] command: {e}"));
            None
        }
        None => None,
    };
    if argv.is_none() && osc.is_none() {
        return Vec::new();
    }
    vec![Command::Notify { argv, osc }]
}

/// The notify command for `count` new stories of `feeds`, placeholders filled; `None` when none
/// is configured.
pub fn command(
    settings: &NotifySettings,
    count: usize,
    feeds: &[String],
) -> Option<Result<Vec<String>, ArgvError>> {
    if settings.command.is_empty() {
        return None;
    }
    let count = count.to_string();
    let feeds = feeds.join(", ");
    Some(argv::expand(
        &settings.command,
        &[("count", &count), ("feeds", &feeds)],
        MAX_VALUE_CHARS,
    ))
}

/// One line saying what came: "3 new stories: Feed A, Feed B", cleaned and capped.
pub fn summary(count: usize, feeds: &[String]) -> String {
    let noun = if count == 1 { "story" } else { "stories" };
    let text = format!("{count} new {noun}: {}", feeds.join(", "));
    argv::clean_value(&text, MAX_VALUE_CHARS)
}

/// The escape sequence that asks the terminal for a notification, when one is configured.
pub fn osc(kind: TerminalNotify, count: usize, feeds: &[String]) -> Option<String> {
    let text = summary(count, feeds);
    match kind {
        TerminalNotify::Off => None,
        TerminalNotify::Osc9 => Some(format!("\x1b]9;{text}\x07")),
        // Fields are separated by `;`: the text must not add one.
        TerminalNotify::Osc777 => Some(format!(
            "\x1b]777;notify;tidings;{}\x07",
            text.replace(';', ",")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(command: &[&str]) -> NotifySettings {
        NotifySettings {
            command: command.iter().map(|s| s.to_string()).collect(),
            terminal: TerminalNotify::Off,
        }
    }

    #[test]
    fn a_bell_in_a_title_cannot_end_the_sequence() {
        let feeds = vec!["Evil\u{7}\u{1b}]52;c;cHduZWQ=\u{7}".to_string()];
        for kind in [TerminalNotify::Osc9, TerminalNotify::Osc777] {
            let seq = osc(kind, 2, &feeds).unwrap();
            let inner = &seq[2..seq.len() - 1];
            assert!(!inner.chars().any(char::is_control), "{seq:?}");
            assert!(seq.ends_with('\u{7}'));
            assert!(seq.chars().count() <= MAX_VALUE_CHARS + 30);
        }
        assert_eq!(osc(TerminalNotify::Off, 2, &feeds), None);
    }

    #[test]
    fn the_command_gets_the_count_and_the_feeds() {
        let feeds = vec!["A".to_string(), "B".to_string()];
        let argv = command(&settings(&["n", "{count}", "{feeds}"]), 3, &feeds)
            .unwrap()
            .unwrap();
        assert_eq!(argv, ["n", "3", "A, B"]);
        assert!(command(&settings(&[]), 3, &feeds).is_none());
        let dash = vec!["-rf".to_string()];
        assert!(
            command(&settings(&["n", "{feeds}"]), 1, &dash)
                .unwrap()
                .is_err()
        );
    }
}
