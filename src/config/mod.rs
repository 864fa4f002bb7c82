//! Settings: the embedded defaults (`config/default.toml`) with the user's file laid over them key by key.
//!
//! A bad user file is an error that names the file, the line and the key as the user wrote it;
//! every number has a stated range (see `validate.rs`, which checks the file as written before it
//! is merged). The key map and the theme have their own modules; this one holds the scalar
//! settings.

pub mod argv;
pub mod commands;
pub mod credentials;
pub mod effective;
pub mod feeds;
pub mod keymap;
mod merge;
pub mod netrc;
pub mod queries;
pub mod rules;
mod tables;
pub mod theme;
mod validate;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::fetch::{FetchConfig, LocalError, read_local_file};

/// The largest config file read: 1 MiB. A settings file is a few kilobytes; anything near this is
/// not one.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// The default configuration, as shipped.
pub const DEFAULT_TOML: &str = include_str!("../../config/default.toml");

/// The default subscriptions, as shipped.
pub const DEFAULT_FEEDS_OPML: &str = include_str!("../../config/feeds.opml");

/// A configuration problem, reported with where it is.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {reason}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why: not a regular file, over [`MAX_CONFIG_BYTES`], or an error of the system.
        reason: LocalError,
    },
    /// The file is not valid TOML, or a key has a bad name or value.
    #[error("{path}:{line}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem (0 when unknown).
        line: usize,
        /// What is wrong, naming the key.
        message: String,
    },
}

/// Every setting tidings reads.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// How feeds are downloaded.
    pub fetch: FetchSettings,
    /// What the cache keeps.
    pub retention: RetentionSettings,
    /// How the reader behaves.
    pub reader: ReaderSettings,
    /// Which kinds of deduplication run.
    pub dedup: DedupSettings,
    /// How articles are fetched for summary-only feeds.
    pub full_text: FullTextSettings,
    /// What tells the user that a fetch brought new stories.
    pub notify: commands::NotifySettings,
    /// Where the save action writes articles.
    pub save: commands::SaveSettings,
    /// Where downloaded episodes go.
    pub podcasts: commands::PodcastSettings,
    /// The cache of article images.
    pub images: ImageSettings,
    /// Commands for enclosures by MIME type.
    #[serde(default)]
    pub open: commands::OpenCommands,
    /// The server the cache syncs with, if any.
    pub sync: SyncSettings,
    /// The user's `[keys]` table, as written (the merged key map is [`Config::keymap`]).
    #[serde(default)]
    pub keys: toml::Table,
    /// The user's `[theme]` table, as written (the merged theme is [`Config::theme`]).
    #[serde(default)]
    pub theme: toml::Table,
    /// The key map: `config/keys.toml` with the user's `[keys]` laid over it.
    #[serde(skip)]
    pub keymap: Option<keymap::Keymap>,
    /// The colours: `config/theme.toml` with the user's `[theme]` over it (monochrome under `NO_COLOR`).
    #[serde(skip)]
    pub colors: Option<theme::Theme>,
    /// The user's `[[query]]` tables, in file order (see `queries.rs`).
    #[serde(skip)]
    pub queries: Vec<queries::QuerySpec>,
    /// The user's `[[feed]]` tables, in file order (see `feeds.rs`).
    #[serde(skip)]
    pub feeds: feeds::FeedRules,
    /// The user's `[[rule]]` tables, in file order (see `rules.rs`).
    #[serde(skip)]
    pub rules: Vec<crate::store::Rule>,
}

/// `[fetch]`: limits for downloading feeds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FetchSettings {
    /// Requests in flight over all hosts.
    pub max_in_flight: usize,
    /// Requests in flight to one host.
    pub per_host: usize,
    /// Seconds to wait for a connection.
    pub connect_timeout_secs: u64,
    /// Seconds for a whole request.
    pub request_timeout_secs: u64,
    /// Largest body accepted, in MiB after decompression.
    pub max_body_mib: u64,
    /// Redirects followed at most.
    pub max_redirects: usize,
    /// Items one download may yield (the newest by date).
    pub max_items_per_download: usize,
    /// New items one refresh run may add to a feed fetched before (the newest).
    pub max_new_items_per_run: usize,
    /// A PEM file of extra root certificates to trust ("" for none).
    #[serde(default)]
    pub ca_file: String,
    /// The proxy every feed goes through unless its `[[feed]]` table names another ("" for the
    /// usual environment variables).
    #[serde(default)]
    pub proxy: String,
}

/// `[sync]`: the server whose feeds, read and starred state the cache shares.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncSettings {
    /// `miniflux`, `greader`, or empty for none.
    pub server: String,
    /// The server's base address.
    pub url: String,
    /// The user's name on the server.
    pub username: String,
    /// The command (argv) that prints the password.
    pub password_command: Vec<String>,
    /// The command (argv) that prints an API token, used instead of the password.
    pub token_command: Vec<String>,
    /// A PEM file of extra roots for the server's certificate ("" for none).
    pub ca_file: String,
    /// Days of read items the first sync brings.
    pub days: u32,
}

impl SyncSettings {
    /// Whether a server is set.
    pub fn enabled(&self) -> bool {
        !self.server.trim().is_empty()
    }
}

/// `[retention]`: what the cache keeps.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSettings {
    /// Items kept per feed; 0 means no limit.
    pub max_items_per_feed: usize,
    /// Maximum age in days; 0 means no limit.
    pub max_age_days: u32,
    /// Never remove unread items.
    pub keep_unread: bool,
    /// Never remove starred items.
    pub keep_starred: bool,
}

/// `[reader]`: the interface's behaviour. This one type carries the reader's settings from the
/// config file into the reader; its [`Default`] is the shipped `config/default.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReaderSettings {
    /// Refresh in the background when the reader starts.
    pub refresh_on_start: bool,
    /// Minutes between background refreshes; 0 for never.
    pub refresh_interval_minutes: u64,
    /// Widest article column in cells; 0 for the whole pane.
    pub max_width: usize,
    /// Centre the article column.
    pub center: bool,
    /// Opening an article marks it read.
    pub mark_read_on_open: bool,
    /// Mouse support.
    pub mouse: bool,
    /// Browser command; empty for `$BROWSER`, else the platform opener.
    pub browser: String,
    /// Browsers that take over the terminal while they run.
    pub terminal_browsers: Vec<String>,
    /// Terminals at least this many columns wide show the panes side by side.
    pub side_by_side_min_width: u16,
    /// Widest the feed pane gets beside the others, in columns.
    pub feed_pane_width: u16,
    /// Hide the feed pane while an article is being read, side by side.
    pub hide_feeds_while_reading: bool,
    /// How the images of an article are drawn: `auto`, `halfblocks` or `off` (alt text only).
    pub images: ImageMode,
    /// The most rows of the pane one image takes.
    pub image_max_height: u16,
}

/// How the images of an article body are drawn (`[reader] images`, or a feed's `images`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageMode {
    /// The best the terminal can do: the kitty, sixel or iTerm2 protocol when it speaks one,
    /// else half blocks.
    Auto,
    /// Half-block characters, two pixel rows to a cell: every terminal, tmux included.
    Halfblocks,
    /// No images: their alt text only, nothing fetched.
    Off,
}

impl ImageMode {
    /// Reads `auto`, `halfblocks` or `off`.
    pub fn parse(s: &str) -> Option<ImageMode> {
        match s {
            "auto" => Some(ImageMode::Auto),
            "halfblocks" => Some(ImageMode::Halfblocks),
            "off" => Some(ImageMode::Off),
            _ => None,
        }
    }
}

/// `[images]`: the on-disk cache of article images.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageSettings {
    /// Size of the image cache in MiB; the least recently used go first.
    pub cache_mib: u64,
}

impl ImageSettings {
    /// The cache's size in bytes.
    pub fn cache_bytes(&self) -> u64 {
        self.cache_mib.saturating_mul(1024 * 1024)
    }

    /// The image cache beside the cache file `cache`, with its cap.
    pub fn files(&self, cache: &Path) -> crate::store::image_files::ImageFiles {
        crate::store::image_files::ImageFiles {
            dir: self.folder(cache),
            max_bytes: self.cache_bytes(),
        }
    }

    /// The image cache folder: `images` beside the cache file `cache`.
    pub fn folder(&self, cache: &Path) -> PathBuf {
        cache
            .parent()
            .map_or_else(|| PathBuf::from("images"), |p| p.join("images"))
    }
}

impl Default for ReaderSettings {
    fn default() -> Self {
        Config::defaults().reader
    }
}

impl ReaderSettings {
    /// The widest article column, or `None` for the whole pane (`max_width = 0`).
    pub fn text_width(&self) -> Option<usize> {
        (self.max_width > 0).then_some(self.max_width)
    }

    /// Seconds between background refreshes, or `None` for never (`refresh_interval_minutes = 0`).
    pub fn refresh_every(&self) -> Option<i64> {
        (self.refresh_interval_minutes > 0).then(|| {
            i64::try_from(self.refresh_interval_minutes.saturating_mul(60)).unwrap_or(i64::MAX)
        })
    }
}

/// `[dedup]`: switches for each kind of deduplication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DedupSettings {
    /// Fold blocks repeated within one article.
    pub within_article: bool,
    /// Fold lines that recur across a feed's items.
    pub boilerplate: bool,
    /// Show a story carried by several feeds once.
    pub stories: bool,
}

/// `[full_text]`: limits for fetching the article pages of summary-only feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FullTextSettings {
    /// Pages fetched per feed and run at most (the newest items first).
    pub max_pages_per_feed: usize,
    /// Pages fetched at once from one host, within `[fetch]`'s limits.
    pub per_host: usize,
    /// Seconds a fetch waits for pages once its feeds are stored.
    pub run_timeout_secs: u64,
}

impl Config {
    /// The retention settings as the store takes them (`0` is no limit).
    pub fn retention_policy(&self) -> crate::store::RetentionPolicy {
        let r = &self.retention;
        crate::store::RetentionPolicy {
            max_items_per_feed: (r.max_items_per_feed > 0).then_some(r.max_items_per_feed),
            max_age_days: (r.max_age_days > 0).then_some(r.max_age_days),
            keep_unread: r.keep_unread,
            keep_starred: r.keep_starred,
        }
    }

    /// The limits of page fetching, from `[full_text]`.
    pub fn page_limits(&self) -> crate::content::fulltext::PageLimits {
        let f = &self.full_text;
        crate::content::fulltext::PageLimits {
            max_pages_per_feed: f.max_pages_per_feed,
            per_host: f.per_host.max(1),
            run_timeout: Duration::from_secs(f.run_timeout_secs.max(1)),
        }
    }

    /// The built-in defaults alone.
    pub fn defaults() -> Config {
        Self::from_user_text("", Path::new("<defaults>"))
            .expect("the embedded default config is valid")
    }

    /// Loads the defaults with the file at `path` laid over them. A missing file is fine unless
    /// `must_exist` (the user named it with `--config`). Only a regular file of at most
    /// [`MAX_CONFIG_BYTES`] is read.
    pub fn load(path: &Path, must_exist: bool) -> Result<Config, ConfigError> {
        match read_user_text(path, must_exist)? {
            Some(text) => Self::from_user_text(&text, path),
            None => Ok(Self::defaults()),
        }
    }

    /// Lays the TOML `text` (read from `path`, named in errors) over the defaults.
    pub fn from_user_text(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut table: toml::Table = DEFAULT_TOML
            .parse()
            .expect("the embedded default config parses");
        let mut user: toml::Table =
            text.parse()
                .map_err(|e: toml::de::Error| ConfigError::Invalid {
                    path: path.to_path_buf(),
                    line: e.span().map(|s| line_of(text, s.start)).unwrap_or(0),
                    message: e.message().to_string(),
                })?;
        validate::check(text, &table, &theme::entry_names()).map_err(|p| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: line_of(text, p.offset),
            message: p.message,
        })?;
        let queries = queries::read(text).map_err(|p| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: line_of(text, p.offset),
            message: p.message,
        })?;
        let feed_rules = feeds::read(text).map_err(|p| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: line_of(text, p.offset),
            message: p.message,
        })?;
        let rules = rules::read(text).map_err(|p| ConfigError::Invalid {
            path: path.to_path_buf(),
            line: line_of(text, p.offset),
            message: p.message,
        })?;
        user.remove("query");
        user.remove("feed");
        user.remove("rule");
        merge::merge(&mut table, user);
        let mut config: Config = serde_path_to_error::deserialize(toml::Value::Table(table))
            .map_err(|e| {
                let key = e.path().to_string();
                ConfigError::Invalid {
                    path: path.to_path_buf(),
                    line: merge::line_of_key(text, &key).unwrap_or(0),
                    message: format!("key `{key}`: {}", e.inner().message()),
                }
            })?;
        let user_keys =
            keymap::Keymap::from_toml_str(text, path).map_err(|e| located(e.to_string(), path))?;
        config.keymap = Some(keymap::Keymap::merge(
            keymap::Keymap::default_keys(),
            user_keys,
        ));
        let base = theme::Theme::from_env();
        let colors = if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            base
        } else {
            theme::Theme::overlay(base, text, path).map_err(|e| located(e.to_string(), path))?
        };
        config.colors = Some(colors);
        config.queries = queries;
        config.feeds = feed_rules;
        if let Err(message) = config.check_global_proxy() {
            return Err(ConfigError::Invalid {
                path: path.to_path_buf(),
                line: merge::line_of_key(text, "fetch.proxy").unwrap_or(0),
                message,
            });
        }
        config.rules = rules;
        Ok(config)
    }

    /// Checks `[fetch] proxy` (empty, or an address [`feeds::check_proxy`] takes).
    fn check_global_proxy(&self) -> Result<(), String> {
        let p = self.fetch.proxy.trim();
        if p.is_empty() {
            return Ok(());
        }
        feeds::check_proxy(p).map_err(|m| format!("`fetch.proxy`: {m}"))
    }

    /// The fetcher's limits from `[fetch]`.
    pub fn fetch_config(&self) -> FetchConfig {
        let f = &self.fetch;
        FetchConfig {
            max_in_flight: f.max_in_flight.max(1),
            per_host: f.per_host.max(1),
            connect_timeout: Duration::from_secs(f.connect_timeout_secs.max(1)),
            request_timeout: Duration::from_secs(f.request_timeout_secs.max(1)),
            max_body: f.max_body_mib.clamp(1, 1 << 20).saturating_mul(1024 * 1024),
            max_redirects: f.max_redirects,
            max_items_per_download: f.max_items_per_download.max(1),
            max_new_items_per_run: f.max_new_items_per_run.max(1),
            // Room for two bodies of the largest size at once.
            body_budget: f.max_body_mib.max(1).saturating_mul(2 * 1024 * 1024),
            ca_file: (!f.ca_file.trim().is_empty()).then(|| PathBuf::from(f.ca_file.trim())),
            proxy: (!f.proxy.trim().is_empty()).then(|| f.proxy.trim().to_string()),
            ..FetchConfig::default()
        }
    }
}

/// The text of the user's config file at `path`, or `None` when there is none and it need not
/// exist (`must_exist` is set when the user named it with `--config`). Only a regular file of at
/// most [`MAX_CONFIG_BYTES`] of UTF-8 is read.
pub fn read_user_text(path: &Path, must_exist: bool) -> Result<Option<String>, ConfigError> {
    // Read like any local input: a regular file only, capped, within the default fetch time.
    let timeout = FetchConfig::default().request_timeout;
    match read_local_file(path, MAX_CONFIG_BYTES, timeout) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(Some(text)),
            Err(_) => Err(ConfigError::Read {
                path: path.to_path_buf(),
                reason: LocalError::Io("not valid UTF-8".into()),
            }),
        },
        Err(LocalError::NotFound) if !must_exist => Ok(None),
        Err(reason) => Err(ConfigError::Read {
            path: path.to_path_buf(),
            reason,
        }),
    }
}

/// Turns a key map or theme error (already `file:line: message`) into a [`ConfigError`].
fn located(message: String, path: &Path) -> ConfigError {
    let rest = message
        .strip_prefix(&format!("{}:", path.display()))
        .unwrap_or(&message);
    let (line, msg) = match rest.split_once(':') {
        Some((n, m)) if n.trim().parse::<usize>().is_ok() => {
            (n.trim().parse().unwrap_or(0), m.trim())
        }
        _ => (0, rest.trim()),
    };
    ConfigError::Invalid {
        path: path.to_path_buf(),
        line,
        message: msg.to_string(),
    }
}

/// 1-based line number of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_defaults_load() {
        let c = Config::defaults();
        assert_eq!(c.fetch.max_in_flight, 32);
        assert_eq!(c.fetch.per_host, 4);
        assert_eq!(c.reader.max_width, 80);
        assert!(c.dedup.within_article);
    }

    #[test]
    fn a_user_file_overrides_one_key_and_keeps_the_rest() {
        let c = Config::from_user_text("[fetch]\nper_host = 2\n", Path::new("u.toml")).unwrap();
        assert_eq!(c.fetch.per_host, 2);
        assert_eq!(c.fetch.max_in_flight, 32);
    }

    #[test]
    fn an_unknown_key_names_file_line_and_key() {
        let text = "[reader]\ncenter = false\n\n[fetch]\nmax_inflight = 3\n";
        let e = Config::from_user_text(text, Path::new("/x/config.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("/x/config.toml:5:"), "{e}");
        assert!(e.contains("max_inflight"), "{e}");
    }

    #[test]
    fn a_wrong_type_names_the_key_and_its_line() {
        let text = "# comment\n[fetch]\nper_host = \"four\"\n";
        let e = Config::from_user_text(text, Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("c.toml:3:"), "{e}");
        assert!(e.contains("fetch.per_host"), "{e}");
    }

    #[test]
    fn an_unknown_action_in_the_key_map_names_file_and_line() {
        let text =
            "[reader]\nmouse = false\n\n[keys]\n\"x\" = { action = \"dwon\", desc = \"typo\" }\n";
        let e = Config::from_user_text(text, Path::new("k.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("k.toml:5:"), "{e}");
        assert!(e.contains("dwon"), "{e}");
    }

    #[test]
    fn a_user_binding_overrides_one_key() {
        use keymap::{Action, Key};
        let text = "[keys]\n\"x\" = { action = \"quit\", desc = \"Leave\" }\n";
        let c = Config::from_user_text(text, Path::new("k.toml")).unwrap();
        let km = c.keymap.unwrap();
        assert_eq!(km.action(&Key::parse("x").unwrap()), Some(Action::Quit));
        assert_eq!(km.action(&Key::parse("j").unwrap()), Some(Action::Down));
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let e = Config::from_user_text("[fetch]\nper_host = = 2\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("c.toml:2:"), "{e}");
    }
}
