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
    /// Subscribe to every feed of an OPML file or a newsboat `urls` file.
    Import {
        /// The file to read.
        file: PathBuf,
        /// Also subscribe the local sources the list names (paths, file:// URLs, demo: feeds);
        /// without it they are listed and skipped.
        #[arg(long)]
        allow_local: bool,
    },
    /// Write the subscriptions as OPML 2.0 to standard output (passwords masked).
    Export {
        /// Write the passwords in feed addresses as they are (needed to import them back).
        #[arg(long)]
        with_credentials: bool,
    },
    /// Download feeds into the cache: all of them, or those named.
    Fetch(FetchArgs),
    /// Sync with the server of `[sync]` (Miniflux): send local read and starred changes, then
    /// bring its subscriptions, items and state.
    Sync(SyncArgs),
    /// Print items as the reader shows them.
    Show(ShowArgs),
    /// Print the article of a web page (a URL or a local HTML file) as the reader would show it.
    Extract(ExtractArgs),
    /// Print where tidings keeps its config, cache and log.
    Paths,
    /// Copy every readable row of a damaged cache into a new one. The old files are kept,
    /// renamed beside it; refuses while the reader or a fetch has the cache open.
    Repair,
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
    /// Also fetch the articles of items already stored, for FEED or (without one) for every feed
    /// whose articles are fetched.
    #[arg(long, value_name = "FEED", num_args = 0..=1, default_missing_value = "")]
    pub full_text_backfill: Option<String>,
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
    /// full_text}: `body` is the article fetched from the item's page when there is one
    /// (`full_text: true`), else the feed's text.
    #[arg(long)]
    pub json: bool,
    /// Show only the items that pass this filter, such as `unread and tag:tech and age < 2d`
    /// (fields title, text, author, feed, url, tag with `:"words"`, `:~"regex"` or `="exact"`;
    /// unread, starred, age; and, or, not, parentheses).
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
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
    fn item_numbers_start_at_one() {
        assert!(Cli::try_parse_from(["tidings", "show", "all", "--item", "0"]).is_err());
        assert!(Cli::try_parse_from(["tidings", "show", "all", "--item", "1"]).is_ok());
    }
}
