//! The settings of the commands tidings runs for the user: `[notify]` after new stories, `[save]`
//! for the save action, and `[open]` for enclosures. Every command is an argv, never given to a
//! shell; its placeholders are filled by [`crate::config::argv`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// `[notify]`: what tells the user that a fetch brought new stories.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifySettings {
    /// The program and its arguments, with `{count}` and `{feeds}`; empty for none.
    pub command: Vec<String>,
    /// The terminal's own notification while the reader runs.
    pub terminal: TerminalNotify,
}

/// Which escape sequence, if any, asks the terminal for a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TerminalNotify {
    /// None.
    Off,
    /// `ESC ] 9 ; text BEL` (iTerm2, kitty, WezTerm, foot, Windows Terminal).
    Osc9,
    /// `ESC ] 777 ; notify ; title ; text BEL` (urxvt, VTE terminals).
    Osc777,
}

/// `[save]`: where the save action writes articles.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveSettings {
    /// The folder; empty for a `saved` folder beside the cache.
    pub dir: String,
}

impl SaveSettings {
    /// The folder to write into: `dir` (a leading `~/` is the home folder), else `saved` beside
    /// the cache file `cache`.
    pub fn folder(&self, cache: &Path) -> PathBuf {
        folder(&self.dir, cache, "saved")
    }
}

/// `[podcasts]`: where downloaded episodes go, and how much room they may take.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PodcastSettings {
    /// The folder; empty for a `podcasts` folder beside the cache.
    pub dir: String,
    /// The most the folder's files may hold, in MiB; 0 for no cap.
    pub max_mib: u64,
}

impl PodcastSettings {
    /// The folder episodes go into: `dir` (a leading `~/` is the home folder), else `podcasts`
    /// beside the cache file `cache`.
    pub fn folder(&self, cache: &Path) -> PathBuf {
        folder(&self.dir, cache, "podcasts")
    }

    /// The cap in bytes, `None` for none.
    pub fn max_bytes(&self) -> Option<u64> {
        (self.max_mib > 0).then(|| self.max_mib.saturating_mul(1024 * 1024))
    }
}

/// The folder a `dir` setting names, else `default` beside the cache file `cache`.
fn folder(dir: &str, cache: &Path, default: &str) -> PathBuf {
    let dir = dir.trim();
    if dir.is_empty() {
        return cache
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .join(default);
    }
    match (dir.strip_prefix("~/"), dirs::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(dir),
    }
}

/// `[open]`: commands for enclosures by MIME type pattern (`"audio/*"`, `"application/pdf"`).
pub type OpenCommands = BTreeMap<String, Vec<String>>;

/// The command for an enclosure of declared type `mime`: an exact pattern first, then the
/// longest matching `type/*`, then `*/*`. Types compare without their parameters, in lower case.
pub fn open_command<'a>(open: &'a OpenCommands, mime: &str) -> Option<&'a [String]> {
    let mime = mime
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if mime.is_empty() {
        return None;
    }
    let matches = |pattern: &str| {
        let p = pattern.trim().to_ascii_lowercase();
        if p == "*" || p == "*/*" {
            return true;
        }
        match p.strip_suffix('*') {
            Some(prefix) => mime.starts_with(prefix),
            None => p == mime,
        }
    };
    open.iter()
        .filter(|(pattern, argv)| !argv.is_empty() && matches(pattern))
        .max_by_key(|(pattern, _)| (!pattern.ends_with('*'), pattern.len()))
        .map(|(_, argv)| argv.as_slice())
}

/// The settings of the programs the reader runs for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct External {
    /// `[open]`: commands for enclosures by MIME type.
    pub open: OpenCommands,
    /// `[notify]`: what runs after a refresh that brought new stories.
    pub notify: NotifySettings,
    /// `[save] dir`, resolved: where the save action writes.
    pub save_dir: PathBuf,
}

impl Default for External {
    /// Nothing configured: no `[open]` commands, no notification, saves into `./saved`.
    fn default() -> Self {
        External {
            open: OpenCommands::new(),
            notify: NotifySettings {
                command: Vec::new(),
                terminal: TerminalNotify::Off,
            },
            save_dir: PathBuf::from("saved"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_precise_pattern_wins() {
        let mut open = OpenCommands::new();
        open.insert("*/*".into(), vec!["any".into()]);
        open.insert("audio/*".into(), vec!["mpv".into()]);
        open.insert("audio/mpeg".into(), vec!["mp3".into()]);
        assert_eq!(open_command(&open, "audio/mpeg").unwrap()[0], "mp3");
        assert_eq!(
            open_command(&open, "Audio/OGG; codecs=opus").unwrap()[0],
            "mpv"
        );
        assert_eq!(open_command(&open, "video/mp4").unwrap()[0], "any");
        assert_eq!(open_command(&open, ""), None);
        open.remove("*/*");
        assert_eq!(open_command(&open, "video/mp4"), None);
    }

    #[test]
    fn an_empty_podcasts_dir_is_beside_the_cache_and_zero_is_no_cap() {
        let s = PodcastSettings {
            dir: String::new(),
            max_mib: 0,
        };
        assert_eq!(s.folder(Path::new("/h/cache.db")), Path::new("/h/podcasts"));
        assert_eq!(s.max_bytes(), None);
        let s = PodcastSettings {
            dir: "/x".into(),
            max_mib: 2,
        };
        assert_eq!(s.folder(Path::new("/h/cache.db")), Path::new("/x"));
        assert_eq!(s.max_bytes(), Some(2 << 20));
    }

    #[test]
    fn an_empty_save_dir_is_beside_the_cache() {
        let s = SaveSettings { dir: String::new() };
        assert_eq!(
            s.folder(Path::new("/h/cache.db")),
            Path::new("/h/saved").to_path_buf()
        );
        let s = SaveSettings { dir: "/x/y".into() };
        assert_eq!(s.folder(Path::new("/h/cache.db")), Path::new("/x/y"));
    }
}
