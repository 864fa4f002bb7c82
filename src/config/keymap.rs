//! The key map: which key runs which [`Action`], each binding with a description for the help
//! screen. It is data read from the `[keys]` table of a TOML file; the defaults live in
//! `config/keys.toml` and a user's file overrides them one key at a time.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::Spanned;

/// The default key map, embedded from `config/keys.toml`.
pub const DEFAULT_KEYS: &str = include_str!("../../config/keys.toml");

/// Something the reader can do in answer to a key; names in the config file are snake_case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Leave the reader, from anywhere.
    Quit,
    /// Go back one pane, close an overlay or leave a search; never quits.
    Back,
    /// Like [`Action::Back`], but quits from the feed list.
    BackOrQuit,
    /// Open the selected entry: a feed's headlines, or an article.
    Open,
    /// Move the selection (or the article) down one line.
    Down,
    /// Move the selection (or the article) up one line.
    Up,
    /// Move down half a page.
    HalfPageDown,
    /// Move up half a page.
    HalfPageUp,
    /// Move down a whole page.
    PageDown,
    /// Move up a whole page.
    PageUp,
    /// Go to the first entry or the top of the article.
    Top,
    /// Go to the last entry or the end of the article.
    Bottom,
    /// Move the focus to the pane on the right (wide layout), or open.
    FocusRight,
    /// Move the focus to the next pane, cycling.
    FocusNext,
    /// Show or hide the key help.
    Help,
    /// Open the search prompt.
    Search,
    /// Refresh the selected feed (or the current view's feed).
    RefreshFeed,
    /// Refresh every feed.
    RefreshAll,
    /// Open the article in the web browser.
    OpenBrowser,
    /// Star or unstar the selected item.
    ToggleStar,
    /// Mark the selected item read or unread.
    ToggleRead,
    /// Mark every item of the current view read.
    MarkAllRead,
    /// Undo the last mark-all-read, else the last application of the rules.
    UndoMarkAll,
    /// Show or leave out the items that rules hid, in the current view.
    ToggleHidden,
    /// Open the next unread article.
    NextUnread,
    /// Open the previous unread article.
    PrevUnread,
    /// Open the next article of the list, read or not.
    NextArticle,
    /// Open the previous article of the list, read or not.
    PrevArticle,
    /// Show the numbered links of the article.
    LinkList,
    /// Copy the article's link (or the chosen link) to the clipboard.
    CopyLink,
    /// Flip between newest first and oldest first.
    ToggleSort,
    /// Hide or show read items.
    ToggleShowRead,
    /// Show the article without folding repeated blocks.
    ToggleRaw,
    /// Show the article's images, or only their alt text.
    ToggleImages,
    /// Show the list of refresh errors.
    ShowErrors,
    /// Switch between the feed's own text and the article fetched from the item's page
    /// (fetching it when there is none yet).
    ToggleFullText,
    /// Fetch the article from the item's page again.
    FetchArticle,
    /// Fold or unfold the highlighted tag of the feed list (or the tag of the highlighted feed).
    ToggleFolder,
    /// Order the feed list by title, unread count or newest item, in turn.
    CycleFeedOrder,
    /// Hide or show the feeds with nothing unread.
    ToggleReadFeeds,
    /// Open the filter prompt, which narrows the current view.
    Filter,
    /// Save the narrowed view as a query (kept in the cache).
    SaveQuery,
    /// Rename the highlighted feed of the feed list (an empty title gives its own back).
    RenameFeed,
    /// Edit the tags of the highlighted feed of the feed list.
    EditTags,
    /// Write the article as Markdown into `[save] dir`.
    Save,
    /// Queue the item's episode for download (in the link list, the chosen enclosure).
    Download,
    /// Unbinds a key in a user's key map; does nothing.
    None,
    /// Open link number n of the article (from the link list).
    #[serde(skip)]
    OpenLink(usize),
    /// Run pipe command number n of the key map ([`Keymap::pipe_command`]) with the article on
    /// its standard input; written `action = "pipe", command = [...]` in the file.
    #[serde(skip)]
    Pipe(usize),
}

impl Action {
    /// Reads an action name as written in the config file.
    pub fn from_name(name: &str) -> Option<Action> {
        let de: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
            name.into_deserializer();
        Action::deserialize(de).ok()
    }
}

/// A key without modifiers, as the key map names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyCode {
    /// A printable character; upper case letters stand for shift.
    Char(char),
    /// Return.
    Enter,
    /// Escape.
    Esc,
    /// Tab.
    Tab,
    /// Shift-Tab.
    BackTab,
    /// Backspace.
    Backspace,
    /// Delete.
    Delete,
    /// Insert.
    Insert,
    /// Arrow up.
    Up,
    /// Arrow down.
    Down,
    /// Arrow left.
    Left,
    /// Arrow right.
    Right,
    /// Home.
    Home,
    /// End.
    End,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// A function key, F1 to F24.
    F(u8),
}

/// A key with its modifiers, as `"ctrl-d"` or `"PageDown"` in the config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// The key itself.
    pub code: KeyCode,
    /// Control held.
    pub ctrl: bool,
    /// Alt (meta) held.
    pub alt: bool,
}

impl Key {
    /// A key with no modifiers.
    pub fn plain(code: KeyCode) -> Key {
        Key {
            code,
            ctrl: false,
            alt: false,
        }
    }

    /// Parses a key name: `"j"`, `"J"`, `"?"`, `"Enter"`, `"Esc"`, `"Space"`, `"PageDown"`, `"F1"`,
    /// with optional `ctrl-` and `alt-` prefixes (in any case); `None` when it names no key.
    pub fn parse(name: &str) -> Option<Key> {
        let mut rest = name;
        let mut key = Key::plain(KeyCode::Esc);
        loop {
            let lower = rest.to_ascii_lowercase();
            if rest.len() > 1 && (lower.starts_with("ctrl-") || lower.starts_with("c-")) {
                key.ctrl = true;
                rest = &rest[rest.find('-')? + 1..];
            } else if rest.len() > 1 && (lower.starts_with("alt-") || lower.starts_with("m-")) {
                key.alt = true;
                rest = &rest[rest.find('-')? + 1..];
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        key.code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_control() => {
                if key.ctrl {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            _ => named_key(rest)?,
        };
        Some(key)
    }
}

fn named_key(name: &str) -> Option<KeyCode> {
    let lower = name.to_ascii_lowercase();
    let code = match lower.as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" | "shift-tab" => KeyCode::BackTab,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "insert" | "ins" => KeyCode::Insert,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" => KeyCode::PageDown,
        "space" => KeyCode::Char(' '),
        "minus" => KeyCode::Char('-'),
        _ => {
            let n: u8 = lower.strip_prefix('f')?.parse().ok()?;
            if (1..=24).contains(&n) {
                KeyCode::F(n)
            } else {
                return None;
            }
        }
    };
    Some(code)
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One binding: the action and the sentence the help screen shows for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// What the key does.
    pub action: Action,
    /// A short description for the help screen.
    pub desc: String,
    /// Where the binding was written (for listing keys in the order of the file).
    pub order: usize,
}

/// Why a key map could not be read; every variant names the file and, where known, the line.
#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    /// The file is not valid TOML, or `[keys]` has the wrong shape.
    #[error("{file}:{line}: {message}")]
    Toml {
        /// The file read.
        file: PathBuf,
        /// One-based line of the problem (0 when unknown).
        line: usize,
        /// What the TOML reader said.
        message: String,
    },
    /// A binding whose `command` does not fit its action: a pipe without one, or another
    /// action with one.
    #[error("{file}:{line}: key \"{key}\": {message}")]
    Command {
        /// The file read.
        file: PathBuf,
        /// One-based line of the binding.
        line: usize,
        /// The key being bound.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// An action name that the reader does not know.
    #[error("{file}:{line}: unknown action \"{name}\" for key \"{key}\"")]
    UnknownAction {
        /// The file read.
        file: PathBuf,
        /// One-based line of the binding.
        line: usize,
        /// The key being bound.
        key: String,
        /// The unknown name.
        name: String,
    },
    /// A key name that does not name a key.
    #[error("{file}:{line}: unknown key name \"{name}\"")]
    UnknownKey {
        /// The file read.
        file: PathBuf,
        /// One-based line of the binding.
        line: usize,
        /// The unknown name.
        name: String,
    },
}

#[derive(Deserialize)]
struct KeysDoc {
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, Spanned<RawBinding>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    action: Spanned<String>,
    #[serde(default)]
    desc: String,
    #[serde(default)]
    command: Option<Vec<String>>,
    #[serde(default)]
    terminal: bool,
}

/// The program a `pipe` binding runs, as written: an argv (never given to a shell) with
/// `{url}`, `{title}` and `{feed}` placeholders (see [`crate::config::argv`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipeCommand {
    /// The program and its arguments.
    pub argv: Vec<String>,
    /// It needs the terminal: the reader steps aside while it runs, as for a terminal browser.
    pub terminal: bool,
}

/// The key map: each key bound to one action.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    bindings: BTreeMap<Key, Binding>,
    /// The commands of the `pipe` bindings; [`Action::Pipe`] holds an index into it.
    commands: Vec<PipeCommand>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl Keymap {
    /// The built-in key map from `config/keys.toml`.
    pub fn default_keys() -> Keymap {
        Keymap::from_toml_str(DEFAULT_KEYS, Path::new("config/keys.toml"))
            .expect("the embedded key map is valid (tested)")
    }

    /// Reads the `[keys]` table of a TOML document; `file` is only used in error messages.
    /// Bindings to `"none"` are kept so that [`Keymap::merge`] can unbind them.
    pub fn from_toml_str(text: &str, file: &Path) -> Result<Keymap, KeymapError> {
        let doc: KeysDoc = toml::from_str(text).map_err(|e| KeymapError::Toml {
            file: file.to_path_buf(),
            line: e.span().map_or(0, |s| line_of(text, s.start)),
            message: e.message().to_string(),
        })?;
        let mut bindings = BTreeMap::new();
        let mut commands = Vec::new();
        for (name, raw) in doc.keys {
            let key = Key::parse(name.get_ref()).ok_or_else(|| KeymapError::UnknownKey {
                file: file.to_path_buf(),
                line: line_of(text, name.span().start),
                name: name.get_ref().clone(),
            })?;
            let raw = raw.into_inner();
            let command_error = |message: &str| KeymapError::Command {
                file: file.to_path_buf(),
                line: line_of(text, raw.action.span().start),
                key: name.get_ref().clone(),
                message: message.to_string(),
            };
            let action = if raw.action.get_ref() == "pipe" {
                match &raw.command {
                    Some(argv) if argv.first().is_some_and(|p| !p.trim().is_empty()) => {
                        commands.push(PipeCommand {
                            argv: argv.clone(),
                            terminal: raw.terminal,
                        });
                        Action::Pipe(commands.len() - 1)
                    }
                    _ => {
                        return Err(command_error(
                            "a pipe needs a command, such as command = [\"tee\", \"article.txt\"]",
                        ));
                    }
                }
            } else {
                let action = Action::from_name(raw.action.get_ref()).ok_or_else(|| {
                    KeymapError::UnknownAction {
                        file: file.to_path_buf(),
                        line: line_of(text, raw.action.span().start),
                        key: name.get_ref().clone(),
                        name: raw.action.get_ref().clone(),
                    }
                })?;
                if raw.command.is_some() || raw.terminal {
                    return Err(command_error(
                        "command and terminal are only for action = \"pipe\"",
                    ));
                }
                action
            };
            let desc = match (action, raw.desc.is_empty(), &raw.command) {
                (Action::Pipe(_), true, Some(argv)) => format!("Pipe the article to {}", argv[0]),
                _ => raw.desc,
            };
            bindings.insert(
                key,
                Binding {
                    action,
                    desc,
                    order: name.span().start,
                },
            );
        }
        Ok(Keymap { bindings, commands })
    }

    /// The defaults with the user's bindings laid over them key by key; `action = "none"` unbinds.
    pub fn merge(default: Keymap, user: Keymap) -> Keymap {
        let mut bindings = default.bindings;
        let mut commands = default.commands;
        let shift = commands.len();
        commands.extend(user.commands);
        for (key, mut binding) in user.bindings {
            if let Action::Pipe(n) = binding.action {
                binding.action = Action::Pipe(n + shift);
            }
            binding.order = match bindings.get(&key) {
                Some(old) => old.order,
                None => usize::MAX / 2 + binding.order,
            };
            bindings.insert(key, binding);
        }
        bindings.retain(|_, b| b.action != Action::None);
        Keymap { bindings, commands }
    }

    /// The command of pipe binding `n` ([`Action::Pipe`]).
    pub fn pipe_command(&self, n: usize) -> Option<&PipeCommand> {
        self.commands.get(n)
    }

    /// The action bound to a key, if any.
    pub fn action(&self, key: &Key) -> Option<Action> {
        self.bindings
            .get(key)
            .map(|b| b.action)
            .filter(|a| *a != Action::None)
    }

    /// Every key bound to an action, in the order the files list them.
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        let mut keys: Vec<(usize, Key)> = self
            .bindings
            .iter()
            .filter(|(_, b)| b.action == action)
            .map(|(k, b)| (b.order, *k))
            .collect();
        keys.sort_unstable();
        keys.into_iter().map(|(_, k)| k).collect()
    }

    /// The help screen's rows: one per action, with its keys and a description, in the order
    /// the files list them.
    pub fn help_rows(&self) -> Vec<(Action, Vec<Key>, String)> {
        let mut sorted: Vec<(&Key, &Binding)> = self
            .bindings
            .iter()
            .filter(|(_, b)| b.action != Action::None)
            .collect();
        sorted.sort_by_key(|(k, b)| (b.order, **k));
        let mut rows: Vec<(Action, Vec<Key>, String)> = Vec::new();
        for (key, b) in sorted {
            match rows.iter_mut().find(|r| r.0 == b.action) {
                Some(row) => {
                    row.1.push(*key);
                    if row.2.is_empty() {
                        row.2 = b.desc.clone();
                    }
                }
                None => rows.push((b.action, vec![*key], b.desc.clone())),
            }
        }
        rows
    }

    /// How many keys are bound.
    pub fn len(&self) -> usize {
        self.bindings.len()
    }

    /// Whether no key is bound.
    pub fn is_empty(&self) -> bool {
        self.bindings.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_key_map_loads_and_binds_the_issue_keys() {
        let map = Keymap::from_toml_str(DEFAULT_KEYS, Path::new("config/keys.toml")).unwrap();
        let k = |s: &str| Key::parse(s).unwrap();
        assert_eq!(map.action(&k("j")), Some(Action::Down));
        assert_eq!(map.action(&k("Down")), Some(Action::Down));
        assert_eq!(map.action(&k("k")), Some(Action::Up));
        assert_eq!(map.action(&k("Enter")), Some(Action::Open));
        assert_eq!(map.action(&k("q")), Some(Action::BackOrQuit));
        assert_eq!(map.action(&k("Esc")), Some(Action::Back));
        assert_eq!(map.action(&k("Q")), Some(Action::Quit));
        assert_eq!(map.action(&k("?")), Some(Action::Help));
        assert_eq!(map.action(&k("/")), Some(Action::Search));
        assert_eq!(map.action(&k("r")), Some(Action::RefreshFeed));
        assert_eq!(map.action(&k("R")), Some(Action::RefreshAll));
        assert_eq!(map.action(&k("A")), Some(Action::MarkAllRead));
        assert_eq!(map.action(&k("U")), Some(Action::UndoMarkAll));
        assert_eq!(map.action(&k("ctrl-d")), Some(Action::HalfPageDown));
        let rows = map.help_rows();
        assert!(rows.iter().all(|(_, _, d)| !d.is_empty()));
        assert_eq!(
            rows[0].0,
            Action::BackOrQuit,
            "help follows the file's order"
        );
        assert_eq!(map.keys_for(Action::Back)[0], k("Esc"));
    }

    #[test]
    fn key_names_parse() {
        assert_eq!(Key::parse("j"), Some(Key::plain(KeyCode::Char('j'))));
        assert_eq!(Key::parse("J"), Some(Key::plain(KeyCode::Char('J'))));
        assert_eq!(Key::parse("?"), Some(Key::plain(KeyCode::Char('?'))));
        assert_eq!(Key::parse("-"), Some(Key::plain(KeyCode::Char('-'))));
        assert_eq!(Key::parse("Space"), Some(Key::plain(KeyCode::Char(' '))));
        assert_eq!(Key::parse("PageDown"), Some(Key::plain(KeyCode::PageDown)));
        assert_eq!(Key::parse("F1"), Some(Key::plain(KeyCode::F(1))));
        let cd = Key::parse("ctrl-d").unwrap();
        assert!(cd.ctrl && cd.code == KeyCode::Char('d'));
        assert_eq!(Key::parse("Ctrl-D"), Some(cd));
        assert_eq!(Key::parse("F99"), None);
        assert_eq!(Key::parse("Foo"), None);
        assert_eq!(Key::parse(""), None);
        assert_eq!(Key::parse("ctrl-d").unwrap().to_string(), "ctrl-d");
    }

    #[test]
    fn unknown_action_names_file_and_line() {
        let text = "[keys]\n\"j\" = { action = \"down\", desc = \"Down\" }\n\"x\" = { action = \"dwon\", desc = \"typo\" }\n";
        let err = Keymap::from_toml_str(text, Path::new("/home/u/keys.toml")).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("/home/u/keys.toml:3:"), "{msg}");
        assert!(msg.contains("dwon"), "{msg}");
    }

    #[test]
    fn unknown_key_names_file_and_line() {
        let text = "[keys]\n\n\"Hyper-q\" = { action = \"quit\", desc = \"Quit\" }\n";
        let err = Keymap::from_toml_str(text, Path::new("my.toml")).unwrap_err();
        assert!(
            matches!(err, KeymapError::UnknownKey { line: 3, .. }),
            "{err}"
        );
        assert!(err.to_string().starts_with("my.toml:3:"));
    }

    #[test]
    fn a_pipe_binding_carries_its_command_through_the_merge() {
        let user = Keymap::from_toml_str(
            "[keys]\n\"P\" = { action = \"pipe\", command = [\"tee\", \"a.txt\"], desc = \"Tee\" }\n\
             \"ctrl-p\" = { action = \"pipe\", command = [\"less\"], terminal = true }\n",
            Path::new("u.toml"),
        )
        .unwrap();
        let mut default = Keymap::default_keys();
        default.commands.push(PipeCommand {
            argv: vec!["cat".into()],
            terminal: false,
        });
        let merged = Keymap::merge(default, user);
        let Some(Action::Pipe(n)) = merged.action(&Key::parse("P").unwrap()) else {
            panic!("P is not a pipe");
        };
        assert_eq!(merged.pipe_command(n).unwrap().argv, ["tee", "a.txt"]);
        let Some(Action::Pipe(m)) = merged.action(&Key::parse("ctrl-p").unwrap()) else {
            panic!("ctrl-p is not a pipe");
        };
        assert!(merged.pipe_command(m).unwrap().terminal);
        let rows = merged.help_rows();
        let row = rows.iter().find(|r| r.0 == Action::Pipe(m)).unwrap();
        assert_eq!(row.2, "Pipe the article to less");
    }

    #[test]
    fn a_pipe_without_a_command_and_a_command_without_a_pipe_are_refused() {
        let e = Keymap::from_toml_str("[keys]\n\"P\" = { action = \"pipe\" }\n", Path::new("k"))
            .unwrap_err();
        assert!(e.to_string().starts_with("k:2:"), "{e}");
        let e = Keymap::from_toml_str(
            "[keys]\n\n\"P\" = { action = \"quit\", command = [\"x\"] }\n",
            Path::new("k"),
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("k:3:"), "{e}");
        assert!(e.to_string().contains("pipe"), "{e}");
    }

    #[test]
    fn internal_actions_cannot_be_named() {
        assert_eq!(Action::from_name("open_link"), None);
        assert_eq!(Action::from_name("page_down"), Some(Action::PageDown));
    }

    #[test]
    fn bad_toml_names_file_and_line() {
        let text = "[keys]\n\"j\" = { action = \"down\"\n";
        let err = Keymap::from_toml_str(text, Path::new("k.toml")).unwrap_err();
        assert!(err.to_string().starts_with("k.toml:2:"), "{err}");
    }

    #[test]
    fn user_map_overrides_and_unbinds() {
        let user = Keymap::from_toml_str(
            "[keys]\n\"j\" = { action = \"up\", desc = \"Up\" }\n\"q\" = { action = \"none\" }\n",
            Path::new("u.toml"),
        )
        .unwrap();
        let merged = Keymap::merge(Keymap::default_keys(), user);
        assert_eq!(merged.action(&Key::parse("j").unwrap()), Some(Action::Up));
        assert_eq!(merged.action(&Key::parse("q").unwrap()), None);
        assert_eq!(merged.action(&Key::parse("k").unwrap()), Some(Action::Up));
    }
}
