//! The command line, as clap reads it. Behaviour lives in [`crate::commands`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// tidings: a fast terminal news reader that shows every block of text once.
///
/// With no subcommand, opens the reader on the cache (subscribing to the default feeds on the very
/// first run) and refreshes in the background.
#[derive(Debug, Parser)]
#[command(name = "tidings", version, about, long_about)]
pub struct Cli {
    /// Use this config file instead of the one in the tidings home.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Keep everything (config, cache, log) under DIR.
    #[arg(long, global = true, value_name = "DIR", env = "TIDINGS_HOME")]
    pub home: Option<PathBuf>,

    /// What to do; the reader when absent.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Subscribe to a feed (or to the feed a web page links to) and store its items.
    Add(AddArgs),
    /// Change what the cache keeps for a feed: its full-text mode, article selector or title
    /// (an empty value clears). A `[[feed]]` table of the config wins over these; `set` says so.
    Set(SetArgs),
    /// Unsubscribe from a feed and drop its cached items.
    Remove {
        /// The feed: its id, exact URL or exact title.
        feed: String,
    },
    /// List subscriptions with their counts and the state of their last fetch.
    Feeds {
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Subscribe to every feed of an OPML file or a newsboat `urls` file (whose query feeds
    /// become saved queries); bring over newsboat's `ignore-article` lines and read state.
    Import(ImportArgs),
    /// Write the subscriptions as OPML 2.0 to standard output (passwords masked).
    Export {
        /// Write the passwords in feed addresses as they are (needed to import them back).
        #[arg(long)]
        with_credentials: bool,
    },
    /// Download feeds into the cache: all of them, or those named.
    Fetch(FetchArgs),
    /// Download the podcast episodes queued (by the reader's `D`, or feeds set to
    /// `auto_download`) into `[podcasts] dir`, two at a time; an interrupted download resumes.
    Download(DownloadArgs),
    /// Sync with the server of `[sync]` (Miniflux or a Google Reader API): send local read and starred changes, then
    /// bring its subscriptions, items and state.
    Sync(SyncArgs),
    /// Print items as the reader shows them.
    Show(ShowArgs),
    /// Print the article of a web page (a URL or a local HTML file) as the reader would show it.
    Extract(ExtractArgs),
    /// List the config's `[[rule]]` tables with how many cached items each matches; or apply
    /// them to the cache, or undo the last application.
    Rules(RulesArgs),
    /// Print where tidings keeps its config, cache and log, and the folders of saved articles,
    /// podcast episodes and article images.
    Paths,
    /// Copy every readable row of a damaged cache into a new one. The old files are kept,
    /// renamed beside it; refuses while the reader or a fetch has the cache open.
    Repair,
    /// Print a completion script for a shell (see the README for where to put it).
    Completions {
        /// The shell: bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), made from this command line's own help.
    Man,
    /// Print the configuration in effect: the defaults with the user's file laid over them
    /// (secrets masked), and the file's path.
    Config(ConfigArgs),
}

/// Arguments of `tidings config`.
#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Print the built-in configuration, with its comments, instead.
    #[arg(long, conflicts_with = "check")]
    pub default: bool,
    /// Only check the config file: exit status 0 and "ok" when it loads, else the problem
    /// with its line.
    #[arg(long)]
    pub check: bool,
}

/// Arguments of `tidings add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The feed's address: http(s) URL, file:// URL or local path, or a web page that links to a feed.
    pub url: String,
    /// Tag the feed (repeatable).
    #[arg(long = "tag", short = 't', value_name = "TAG")]
    pub tags: Vec<String>,
    /// Use this title instead of the feed's own.
    #[arg(long)]
    pub title: Option<String>,
    /// Fetch the articles of the feed's items from their pages: `auto` (when the items are
    /// teasers), `always` or `never`. Kept in the cache.
    #[arg(long, value_name = "MODE", value_parser = ["auto", "always", "never"])]
    pub full_text: Option<String>,
    /// A CSS selector naming the article's element(s) on the feed's pages, used instead of
    /// the heuristics (e.g. `div.story-body`). Kept in the cache.
    #[arg(long, value_name = "CSS")]
    pub full_text_selector: Option<String>,
    /// With `[sync]` set, subscribe here only (tidings fetches the feed) instead of on the
    /// server.
    #[arg(long)]
    pub local: bool,
}

/// Arguments of `tidings import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The OPML or newsboat `urls` file to read; `"query:NAME:FILTER"` lines of a `urls` file
    /// are translated into saved queries.
    #[arg(required_unless_present_any = ["newsboat_config", "newsboat_cache"])]
    pub file: Option<PathBuf>,
    /// Also subscribe the local sources the list names (paths, file:// URLs, demo: feeds);
    /// without it they are listed and skipped.
    #[arg(long)]
    pub allow_local: bool,
    /// Translate the `ignore-article` lines of this newsboat config file into `[[rule]]` hide
    /// rules, printed on standard output for you to append to the config (nothing is written).
    #[arg(long, value_name = "FILE")]
    pub newsboat_config: Option<PathBuf>,
    /// Mark read and star (newsboat's flag `s`) the cached items that newsboat's cache.db has
    /// read or flagged, matched by guid, then link; the file is only read. Fetch first.
    #[arg(long, value_name = "FILE")]
    pub newsboat_cache: Option<PathBuf>,
}

/// Arguments of `tidings set`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The feed: its id, exact URL or exact title.
    pub feed: String,
    /// Fetch the articles of the feed's items from their pages: `auto`, `always` or `never`
    /// (`""` clears, which is `auto`).
    #[arg(long, value_name = "MODE", value_parser = ["auto", "always", "never", ""])]
    pub full_text: Option<String>,
    /// A CSS selector naming the article's element(s) on the feed's pages (`""` clears: the
    /// heuristics pick the article).
    #[arg(long, value_name = "CSS")]
    pub full_text_selector: Option<String>,
    /// The title shown for the feed (`""` clears: the feed's own title).
    #[arg(long)]
    pub title: Option<String>,
}

/// Arguments of `tidings fetch`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Feeds to fetch (id, exact URL or exact title); all when none is named.
    pub feeds: Vec<String>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the summary as JSON on standard output.
    #[arg(long)]
    pub json: bool,
    /// Fetch only the feeds that are due: by their `[[feed]]` table's `min_refresh_minutes`,
    /// else by their own hints (`<ttl>`, `sy:updatePeriod`, `Cache-Control: max-age`; at most a
    /// day), since their last fetch; and with `[sync]` set, sync unless failed syncs' backoff
    /// says to wait (a minute after one, doubling, at most an hour). For cron.
    #[arg(long)]
    pub due: bool,
    /// Also fetch the articles of items already stored, for FEED or (without one) for every feed
    /// whose articles are fetched.
    #[arg(long, value_name = "FEED", num_args = 0..=1, default_missing_value = "")]
    pub full_text_backfill: Option<String>,
}

/// Arguments of `tidings download`.
#[derive(Debug, Args)]
pub struct DownloadArgs {
    /// List the queue with each download's state (and a failure's error) instead of running it.
    #[arg(long)]
    pub list: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `tidings sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the summary as JSON on standard output.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `tidings show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// `all`; a subscribed feed's id, exact URL or exact title; `query:NAME` (or the bare name
    /// when no feed has it) for a query of the config or one saved in the reader; a feed file;
    /// `-` for a feed on standard input; or a URL (fetched, not subscribed).
    pub source: String,
    /// Show only the Nth item (1-based, newest first).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub item: Option<u64>,
    /// Wrap bodies at exactly N columns (default: the terminal's width, else 80).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(10..))]
    pub width: Option<u16>,
    /// Show every block, marking those that deduplication folds.
    #[arg(long)]
    pub raw: bool,
    /// Print a JSON array of {feed, title, link, author, published, body, folded, also_in,
    /// full_text, tags, hidden}: `tags` are those rules set; `body` is the article fetched from the item's page when there is one
    /// (`full_text: true`), else the feed's text.
    #[arg(long)]
    pub json: bool,
    /// Show only the items that pass this filter, such as `unread and tag:tech and age < 2d`
    /// (fields title, text, author, feed, url, tag with `:"words"`, `:~"regex"` or `="exact"`;
    /// unread, starred, age; and, or, not, parentheses).
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
    /// Also list the items that `hide` rules hid (marked `Hidden by a rule`, `"hidden": true`
    /// in JSON).
    #[arg(long)]
    pub include_hidden: bool,
}

/// Arguments of `tidings rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// What to do; list the rules when absent.
    #[command(subcommand)]
    pub action: Option<RulesAction>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    pub json: bool,
}

/// The subcommands of `tidings rules`.
#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// Apply the rules, in file order, to every cached item, and say how many items each
    /// changed. The state before is recorded for `tidings rules undo` (and `U` in the reader).
    Apply {
        /// Say how many items each rule would change, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Put every item the last `tidings rules apply` changed back as it was.
    Undo,
}

/// Arguments of `tidings extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The page: an http(s) URL, a local HTML file, or `-` for standard input.
    pub source: String,
    /// Wrap the article at exactly N columns (default: the terminal's width, else 80).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(10..))]
    pub width: Option<u16>,
    /// Print a JSON object {title, author, published, text, body}.
    #[arg(long)]
    pub json: bool,
    /// A CSS selector naming the article's element(s), instead of the heuristics.
    #[arg(long, value_name = "CSS")]
    pub selector: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_go_before_the_subcommand() {
        let cli = Cli::try_parse_from(["tidings", "--home", "/tmp/h", "fetch", "--quiet"]).unwrap();
        assert_eq!(cli.home.as_deref(), Some(std::path::Path::new("/tmp/h")));
        assert!(matches!(
            cli.command,
            Some(Command::Fetch(FetchArgs { quiet: true, .. }))
        ));
    }

    #[test]
    fn completions_take_a_known_shell() {
        assert!(Cli::try_parse_from(["tidings", "completions", "zsh"]).is_ok());
        assert!(Cli::try_parse_from(["tidings", "completions", "tcsh"]).is_err());
        assert!(Cli::try_parse_from(["tidings", "config", "--default", "--check"]).is_err());
    }

    #[test]
    fn item_numbers_start_at_one() {
        assert!(Cli::try_parse_from(["tidings", "show", "all", "--item", "0"]).is_err());
        assert!(Cli::try_parse_from(["tidings", "show", "all", "--item", "1"]).is_ok());
    }
}
