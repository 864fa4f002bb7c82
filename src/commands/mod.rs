//! What each subcommand does. `main` parses the command line and calls [`run`].

mod add;
mod download;
mod extract;
mod feeds;
mod fetch;
mod newsboat;
mod notify;
pub mod output;
mod per_feed;
mod reader;
mod repair;
mod rules;
mod set;
mod shell;
mod show;
mod sync;
mod transfer;

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::paths::Paths;
use crate::store::{Store, StoreError};

/// What every command needs: where things live and the settings.
pub struct Context {
    /// Resolved locations.
    pub paths: Paths,
    /// Settings, defaults merged with the user's file.
    pub config: Config,
}

impl Context {
    /// Opens (creating if needed) the cache database for a command that writes to it.
    pub fn open_store(&self) -> anyhow::Result<Store> {
        let store = open_store(&self.paths.cache)?;
        per_feed::lay_config_tags(self, &store);
        Ok(store)
    }

    /// Opens the cache for a command that only reads it: read-only when it cannot be written
    /// (a read-only home) or is marked damaged.
    pub fn open_store_readable(&self) -> anyhow::Result<Store> {
        let path = &self.paths.cache;
        create_folder(path)?;
        let store = Store::open_readable(path)?;
        per_feed::lay_config_tags(self, &store);
        Ok(store)
    }
}

/// Opens the cache at `path` for writing, creating its folder. The store's errors name the file.
pub fn open_store(path: &Path) -> anyhow::Result<Store> {
    create_folder(path)?;
    Ok(Store::open(path)?)
}

/// Creates the cache's folder when it is missing (a read-only one that exists is fine).
fn create_folder(path: &Path) -> anyhow::Result<()> {
    if let Some(dir) = path.parent()
        && !dir.is_dir()
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the cache folder {}", dir.display()))?;
    }
    Ok(())
}

/// When `e` says the cache is damaged, marks it so (nothing will write to it until it is
/// repaired) and returns the error that names the file and says what to do; other errors pass.
fn note_damage(cache: &Path, e: anyhow::Error) -> anyhow::Error {
    for cause in e.chain() {
        let detail = if let Some(se) = cause.downcast_ref::<StoreError>() {
            if matches!(se, StoreError::Damaged { .. }) {
                return e;
            }
            se.is_corruption().then(|| crate::store::damage::cause(se))
        } else if let Some(sq) = cause.downcast_ref::<rusqlite::Error>() {
            matches!(
                sq.sqlite_error_code(),
                Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
            )
            .then(|| sq.to_string())
        } else {
            None
        };
        if let Some(detail) = detail {
            return crate::store::damage::mark_damaged(cache, &detail).into();
        }
    }
    e
}

/// Logs at least this large are deleted without waiting for their blocks to be freed (see
/// [`crate::store::free_large_logs_elsewhere`]): below it, unlinking costs less than starting
/// the process that would do it.
const LOG_FREED_ELSEWHERE: u64 = 32 * 1024 * 1024;

/// Runs the command line. Errors that reach here are fatal: bad arguments, an unusable cache or config.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let paths = Paths::resolve(cli.config.as_deref(), cli.home.as_deref(), None);
    // These need no settings, or read the config file themselves to report on it.
    match cli.command {
        Some(Command::Completions { shell }) => return shell::completions(shell),
        Some(Command::Man) => return shell::man(),
        Some(Command::Config(args)) => return shell::config(&paths, &args),
        _ => {}
    }
    let config = Config::load(&paths.config, paths.config_explicit)?;
    let ctx = Context { paths, config };
    // The command does not wait for a large log's blocks to be freed when the cache closes.
    crate::store::free_large_logs_elsewhere(LOG_FREED_ELSEWHERE);
    let _log = init_logging(&ctx.paths.log, cli.command.is_none());
    let uses_cache = !matches!(cli.command, Some(Command::Paths | Command::Repair));
    let result = dispatch(&ctx, cli.command);
    match result {
        Err(e) if uses_cache => Err(note_damage(&ctx.paths.cache, e)),
        other => other,
    }
}

/// Runs one command.
fn dispatch(ctx: &Context, command: Option<Command>) -> anyhow::Result<ExitCode> {
    match command {
        None => reader::run(ctx),
        Some(Command::Add(args)) => block_on(add::run(ctx, args)),
        Some(Command::Set(args)) => set::run(ctx, args),
        Some(Command::Remove { feed }) => feeds::remove(ctx, &feed),
        Some(Command::Feeds { json }) => feeds::list(ctx, json),
        Some(Command::Import(args)) => transfer::import_all(ctx, &args),
        Some(Command::Export { with_credentials }) => transfer::export(ctx, with_credentials),
        Some(Command::Fetch(args)) => block_on(fetch::run(ctx, args)),
        Some(Command::Show(args)) => block_on(show::run(ctx, args)),
        Some(Command::Extract(args)) => block_on(extract::run(ctx, args)),
        Some(Command::Repair) => repair::run(ctx),
        Some(Command::Completions { shell }) => shell::completions(shell),
        Some(Command::Man) => shell::man(),
        Some(Command::Config(args)) => shell::config(&ctx.paths, &args),
        Some(Command::Rules(args)) => rules::run(ctx, args),
        Some(Command::Sync(args)) => block_on(sync::run(ctx, args)),
        Some(Command::Download(args)) => block_on(download::run(ctx, args)),
        Some(Command::Paths) => {
            let mut out = output::stdout();
            let saved = ctx.config.save.folder(&ctx.paths.cache);
            let podcasts = ctx.config.podcasts.folder(&ctx.paths.cache);
            let images = ctx.config.images.folder(&ctx.paths.cache);
            for (name, path) in [
                ("config", ctx.paths.config.as_path()),
                ("cache", ctx.paths.cache.as_path()),
                ("log", ctx.paths.log.as_path()),
                ("saved", saved.as_path()),
                ("podcasts", podcasts.as_path()),
                ("images", images.as_path()),
            ] {
                out.line(format_args!("{:<9} {}", format!("{name}:"), path.display()))?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Runs an async command on a multi-threaded runtime.
///
/// The command's future owns everything that must end before the program does (the cache is
/// closed by then), so the runtime is not waited for: its idle threads each gave their memory
/// back on the way out (from the command's end to its exit after a first fetch, 31-41 ms
/// against 41-54 ms), and the program's exit ends them anyway.
fn block_on<F: std::future::Future<Output = anyhow::Result<ExitCode>>>(
    fut: F,
) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let result = runtime.block_on(fut);
    runtime.shutdown_background();
    result
}

/// Sends logs to the log file (never to the screen). Logging is best effort: a log file that cannot
/// be opened is not worth failing a command for.
fn init_logging(path: &Path, reader: bool) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    let dir = path.parent()?;
    std::fs::create_dir_all(dir).ok()?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let default = if reader {
        "tidings=info"
    } else {
        "tidings=warn"
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("TIDINGS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}

/// Finds a subscribed feed by id, exact URL or exact title, or explains that there is none.
pub(crate) fn find_feed(store: &Store, key: &str) -> anyhow::Result<crate::model::FeedRow> {
    store
        .find_feed(key)?
        .ok_or_else(|| anyhow::anyhow!("no subscribed feed matches {key:?} (give its id, exact URL or exact title; see `tidings feeds`)"))
}

/// Formats a Unix time as local `YYYY-MM-DD HH:MM`.
pub(crate) fn local_time(t: i64) -> String {
    use chrono::TimeZone;
    chrono::Local
        .timestamp_opt(t, 0)
        .single()
        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// Formats a Unix time as RFC 3339 in UTC.
pub(crate) fn rfc3339(t: i64) -> Option<String> {
    chrono::DateTime::from_timestamp(t, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// Downloads `source` once, with no conditional request (for `show URL` and `extract URL`): its
/// body, its `Content-Type` and the address it was finally read from. Errors name the source.
pub(crate) async fn fetch_once(
    limits: crate::fetch::FetchConfig,
    source: &str,
) -> anyhow::Result<(Vec<u8>, Option<String>, String)> {
    use crate::content::sanitize_line;
    use crate::fetch::{FetchOutcome, FetchRequest, Fetcher};
    let fetcher = Fetcher::new(limits)?;
    let req = FetchRequest {
        url: source.to_string(),
        etag: None,
        last_modified: None,
    };
    match fetcher.fetch(&req).await {
        FetchOutcome::Fetched {
            body,
            content_type,
            final_url,
            ..
        } => Ok((body, content_type, final_url)),
        FetchOutcome::NotModified => anyhow::bail!("{}: unexpected 304", sanitize_line(source)),
        FetchOutcome::Failed { error, .. } => anyhow::bail!("{}: {error}", sanitize_line(source)),
    }
}
